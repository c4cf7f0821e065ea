using AirflowGuard.Engine.Tests.Support;

namespace AirflowGuard.Engine.Tests;

/// <summary>Tests mirror the source tree: each rule and mutation kind has its test file at the same place under tests/.</summary>
public class TreeMirrorTests
{
    public static TheoryData<string> KindFiles()
    {
        var data = new TheoryData<string>();
        foreach (var folder in new[] { Path.Combine("Rules", "Kinds"), Path.Combine("Mutations", "Kinds") })
        {
            foreach (var file in Directory.GetFiles(Repo.Path("src", "AirflowGuard.Engine", folder), "*.cs").Order(StringComparer.Ordinal))
            {
                data.Add(Path.Combine(folder, Path.GetFileName(file)));
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(KindFiles))]
    public void EveryKind_HasItsTestFileBesideItInTheTestTree(string kindFile)
    {
        var test = Repo.Path("tests", "AirflowGuard.Engine.Tests", Path.ChangeExtension(kindFile, null) + "Tests.cs");

        Assert.True(File.Exists(test), $"{kindFile} has no tests at {Path.GetRelativePath(Repo.Root, test)}");
    }
}
