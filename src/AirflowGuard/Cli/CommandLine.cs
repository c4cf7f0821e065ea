using System.CommandLine;
using AirflowGuard.Webhook.Hosting;

namespace AirflowGuard.Cli;

/// <summary>
/// The one parser of every command (System.CommandLine): help, completions (the [suggest] directive,
/// for dotnet-suggest) and errors come from it. Exit codes: 0 clean, 1 enforced violations, 2 usage,
/// input or policy errors.
/// </summary>
internal static class CommandLine
{
    public const int Clean = 0;
    public const int Violations = 1;
    public const int UsageError = 2;

    /// <summary>The root command with every sub-command; their actions write to <paramref name="output"/> and <paramref name="error"/>.</summary>
    public static RootCommand Create(TextWriter output, TextWriter error)
    {
        var root = new RootCommand("AirflowGuard: checks Apache Airflow pods for storage, logging and secret mistakes, as an admission webhook and on the command line.")
        {
            ServeCommandLine.Create(args => ServeCommand.Run(args, error)),
            CheckCommand.Create(output, error),
            LintCommand.Create(output, error),
            TestCommand.Create(output, error),
            AuditCommand.Create(output, error),
            ExplainCommand.Create(output, error),
            FixCommand.Create(output, error),
            SchemaCommand.Create(output),
            ExportCommand.Create(output, error),
            Playground.PlaygroundCommand.Create(output, error),
        };
        return root;
    }

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = Create(output, error);
        if (args.Length == 0)
        {
            // the commands and what they do, where a script will see it, and a usage error
            root.Parse(["--help"]).Invoke(new InvocationConfiguration { Output = error, Error = error });
            return UsageError;
        }
        var parsed = root.Parse(args);
        // a completion request ([suggest:N], as dotnet-suggest sends it) is answered even for a half-typed line
        var completing = root.Directives.OfType<System.CommandLine.Completions.SuggestDirective>().Any(d => parsed.GetResult(d) is not null);
        if (parsed.Errors.Count > 0 && !completing)
        {
            foreach (var problem in parsed.Errors)
            {
                error.WriteLine($"airflowguard: {problem.Message}");
            }
            var command = parsed.CommandResult.Command;
            error.WriteLine(command == root
                ? "run 'airflowguard --help' for the commands"
                : $"run 'airflowguard {command.Name} --help' for its options");
            return UsageError;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (UsageException ex)
        {
            error.WriteLine($"airflowguard: {ex.Message}");
            return UsageError;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"airflowguard: {ex.Message}");
            return UsageError;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // a bug, not bad input: one line that says so, no stack trace
            var inner = ex is TypeInitializationException { InnerException: { } cause } ? cause : ex;
            error.WriteLine($"airflowguard: internal error ({inner.GetType().Name}: {inner.Message}); please report it");
            return UsageError;
        }
    }
}
