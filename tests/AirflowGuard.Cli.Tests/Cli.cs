namespace AirflowGuard.Cli.Tests;

/// <summary>Runs the real command line in-process, from the repository root, as CI runs it.</summary>
internal static class Cli
{
    private static readonly Lock Gate = new();

    public static string Root { get; } = FindRoot();

    public static (int Code, string Output, string Error) Run(params string[] args)
    {
        lock (Gate) // the working directory is process-wide
        {
            var previous = Environment.CurrentDirectory;
            Environment.CurrentDirectory = Root;
            try
            {
                using var output = new StringWriter();
                using var error = new StringWriter();
                var code = CommandLine.Run(args, output, error);
                return (code, output.ToString(), error.ToString());
            }
            finally
            {
                Environment.CurrentDirectory = previous;
            }
        }
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AirflowGuard.sln")))
        {
            dir = dir.Parent;
        }
        return dir!.FullName;
    }
}
