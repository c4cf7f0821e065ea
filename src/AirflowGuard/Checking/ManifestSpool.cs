using System.Text;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Yaml;

namespace AirflowGuard.Checking;

/// <summary>
/// The check pipeline's first step: reads every input once — documents parsed and converted to JSON on every core, in
/// parallel, and handed back in input order — indexes what pods refer to, and spools each object as compact
/// JSON to a temporary file, which the second pass reads back to evaluate. Memory holds a bounded window of
/// documents, never the whole input; YAML, the slow part, is parsed once.
/// </summary>
internal sealed class ManifestSpool : IDisposable
{
    private readonly string _path = Path.GetTempFileName();

    public static ManifestSpool Fill(IReadOnlyList<ManifestSource> sources, ManifestClusterState cluster, Action<ManifestError> problem, CancellationToken cancellation = default)
    {
        var spool = new ManifestSpool();
        try
        {
            using (var writer = new BinaryWriter(File.Create(spool._path, 64 * 1024), Encoding.UTF8))
            {
                var index = 0;
                foreach (var results in OrderedParallel.Select(Chunks(sources), chunk => cancellation.IsCancellationRequested ? [] : Read(chunk.Text, chunk.File, cluster), window: 4 * Environment.ProcessorCount))
                {
                    cancellation.ThrowIfCancellationRequested();
                    foreach (var (obj, json, entry, error) in results)
                    {
                        if (error is not null)
                        {
                            problem(error);
                            continue;
                        }
                        var numbered = obj! with { DocumentIndex = index++ };
                        cluster.Add(numbered, entry);
                        writer.Write(numbered.File);
                        writer.Write(numbered.Line);
                        writer.Write(numbered.EmbeddedIn?.Key ?? "");
                        writer.Write(numbered.EmbeddedIn?.ConfigMap ?? "");
                        var ownerLabels = numbered.EmbeddedIn?.ConfigMapLabels ?? Engine.Kubernetes.ObjectMetadata.NoEntries;
                        writer.Write(ownerLabels.Count);
                        foreach (var (key, value) in ownerLabels)
                        {
                            writer.Write(key);
                            writer.Write(value);
                        }
                        writer.Write(numbered.Kind is not null);
                        writer.Write(numbered.Kind ?? "");
                        writer.Write(json.Length);
                        writer.Write(json.Span);
                    }
                }
            }
        }
        catch
        {
            spool.Dispose(); // stopped (cancelled, or an input failed to read): the temporary file goes too
            throw;
        }
        return spool;
    }

    /// <summary>Each input's documents, cut at their markers (cheap, in order, one file open at a time).</summary>
    private static IEnumerable<(YamlDocumentText Text, string File)> Chunks(IReadOnlyList<ManifestSource> sources)
    {
        foreach (var source in sources)
        {
            using var reader = source.Open();
            foreach (var chunk in YamlDocumentSplitter.Split(reader))
            {
                yield return (chunk, source.Name);
            }
        }
    }

    /// <summary>One document's objects (with their compact JSON and what they add to the index) or errors: the expensive part, run in parallel.</summary>
    private static List<(ManifestObject? Object, ReadOnlyMemory<byte> Json, IndexEntry? Entry, ManifestError? Error)> Read(YamlDocumentText chunk, string file, ManifestClusterState cluster)
    {
        var results = new List<(ManifestObject?, ReadOnlyMemory<byte>, IndexEntry?, ManifestError?)>(1);
        var index = 0;
        foreach (var (document, problem) in ManifestReader.Parse(chunk, file))
        {
            if (problem is not null)
            {
                results.Add((null, default, null, problem));
                continue;
            }
            foreach (var (obj, objectProblem) in ManifestReader.Convert(document!, file, ref index))
            {
                if (objectProblem is not null)
                {
                    results.Add((null, default, null, objectProblem));
                    continue;
                }
                // the element was parsed from JSON AirflowGuard wrote itself: its own text is the JSON to spool
                results.Add((obj, obj!.Source.Text, cluster.Read(obj), null));
            }
        }
        return results;
    }

    /// <summary>The spooled objects, in input order, one at a time, their JSON still as bytes (see <see cref="Open"/>).</summary>
    public IEnumerable<SpooledObject> Objects()
    {
        using var reader = new BinaryReader(new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024), Encoding.UTF8);
        var index = 0;
        while (reader.BaseStream.Position < reader.BaseStream.Length)
        {
            var file = reader.ReadString();
            var line = reader.ReadInt32();
            var embeddedKey = reader.ReadString();
            var embeddedConfigMap = reader.ReadString();
            var labelCount = reader.ReadInt32();
            var ownerLabels = labelCount == 0 ? Engine.Kubernetes.ObjectMetadata.NoEntries : new Dictionary<string, string>(labelCount, StringComparer.Ordinal);
            for (var i = 0; i < labelCount; i++)
            {
                ((Dictionary<string, string>)ownerLabels)[reader.ReadString()] = reader.ReadString();
            }
            var hasKind = reader.ReadBoolean();
            var kind = reader.ReadString();
            var json = reader.ReadBytes(reader.ReadInt32());
            yield return new SpooledObject(json, file, line, index++, embeddedKey.Length == 0 ? null : new EmbeddedTemplate(embeddedKey, embeddedConfigMap) { ConfigMapLabels = ownerLabels }, hasKind ? kind : null);
        }
    }

    /// <summary>A spooled object, its JSON left as bytes until something reads it (on whichever thread evaluates it).</summary>
    public static ManifestObject Open(SpooledObject spooled) =>
        new(JsonSource.FromUtf8(spooled.Json), spooled.File, spooled.Line, spooled.Index) { EmbeddedIn = spooled.EmbeddedIn, NotedKind = spooled.Kind };

    public void Dispose() => File.Delete(_path);
}
