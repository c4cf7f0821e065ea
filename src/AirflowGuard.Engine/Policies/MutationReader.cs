using AirflowGuard.Engine.Mutations;
using AirflowGuard.Engine.Yaml;
using YamlDotNet.RepresentationModel;

namespace AirflowGuard.Engine.Policies;

/// <summary>Reads the mutations of a policy: each list item has exactly one kind of <see cref="MutationKinds"/>, whose reader reads its body.</summary>
internal static class MutationReader
{
    public static List<Mutation> ReadAll(YamlNodeReader reader, IReadOnlyList<YamlNode> nodes)
    {
        var mutations = new List<Mutation>();
        foreach (var node in nodes)
        {
            var map = reader.Map(node, "a mutation", [.. MutationKinds.Keys]);
            if (map is null)
            {
                continue;
            }
            var present = MutationKinds.Keys.Where(map.Has).ToList();
            if (present.Count != 1)
            {
                reader.Error(map.Node, $"a mutation needs exactly one of {string.Join(", ", MutationKinds.Keys)}; write one list item per mutation");
                continue;
            }
            var kind = MutationKinds.Find(present[0])!;
            if (kind.Read(new KindBody(reader, map, kind.Key, reader.Location(node))) is { } mutation)
            {
                mutations.Add(mutation);
            }
        }
        return mutations;
    }
}
