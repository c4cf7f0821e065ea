namespace AirflowGuard.EndToEnd.Tests;

/// <summary>The checkout the tests run from: the folder that holds AirflowGuard.sln.</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AirflowGuard.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException($"no AirflowGuard.sln in {AppContext.BaseDirectory} or above it");
    }
}
