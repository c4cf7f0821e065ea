namespace AirflowGuard.Playground.Tests;

/// <summary>Files of this repository (examples, policies), found from the test's output folder.</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    public static string Read(string relative) => File.ReadAllText(Path.Combine(Root, relative));

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AirflowGuard.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("AirflowGuard.sln not found above the test folder");
    }
}
