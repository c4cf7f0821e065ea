namespace AirflowGuard.Cli;

/// <summary>Dispatches sub-commands. Exit codes: 0 clean, 1 enforced violations, 2 usage or policy errors.</summary>
internal static class CommandLine
{
    public const int Clean = 0;
    public const int Violations = 1;
    public const int UsageError = 2;

    private const string Usage = """
        usage: airflowguard <command> [options]

        commands:
          serve             run the admission webhook (HTTPS; --dev for a self-signed localhost certificate)
          check [PATH…|-]   check manifests (files, folders, or - for stdin) against the policies
          lint [PATH…]      validate policy files; every error with file:line:column
          test [DIR|FILE…]  run PolicyTest files: expected results and patches per resource
          audit             check the Airflow pods running in a cluster (kubeconfig), read-only
          explain FILE…     show what AirflowGuard sees in each Airflow pod and why it decides as it does
          playground        a local page (http://127.0.0.1) to try manifests and policies and see the engine's reasoning

        run 'airflowguard <command> --help' for the options of a command
        """;

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        try
        {
            return args.Length == 0 ? Help(error) : args[0] switch
            {
                "serve" => ServeCommand.Run(args[1..], output, error),
                "check" => CheckCommand.Run(args[1..], output, error),
                "lint" => LintCommand.Run(args[1..], output, error),
                "explain" => ExplainCommand.Run(args[1..], output, error),
                "test" => TestCommand.Run(args[1..], output, error),
                "audit" => AuditCommand.Run(args[1..], output, error),
                "playground" => Playground.PlaygroundCommand.Run(args[1..], output, error),
                "-h" or "--help" or "help" => Help(output),
                _ => Unknown(args[0], error),
            };
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

    private static int Help(TextWriter writer)
    {
        writer.WriteLine(Usage);
        return writer == Console.Out ? Clean : UsageError;
    }

    private static int Unknown(string command, TextWriter error)
    {
        error.WriteLine($"airflowguard: unknown command \"{command}\"");
        error.WriteLine(Usage);
        return UsageError;
    }
}

internal sealed class UsageException(string message) : Exception(message);
