using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Yaml;

namespace AirflowGuard.Cli;

/// <summary>
/// <c>airflowguard check [PATH…|-]</c>: runs the webhook's engine over rendered manifests. All
/// inputs form one bundle, so a claim declared in one file resolves a pod in another.
/// </summary>
internal static class CheckCommand
{
    private const string Help = """
        usage: airflowguard check [PATH…|-] [options]

          PATH                 manifest files or folders (recursive: *.yaml, *.yml, *.json); - reads stdin
          --policies PATHS     comma-separated policy files or folders (default: the bundled pack)
          --namespace NS       namespace for objects that name none (default: default)
          --fail-on LEVEL      enforce (default): exit 1 on enforced violations; warn: also on warnings; never
          --output FORMAT      text (default), json, sarif (2.1.0, for code scanning) or junit
          --mutate WHAT        manifests: print every input object as the webhook would patch it (YAML);
                               patches: print the JSON Patch of each object that gets one (JSON).
                               The report's summary goes to stderr.

        exit codes: 0 clean, 1 violations at or above --fail-on, 2 usage, input or policy errors
        """;

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var options = Options.Parse(args, "check", "policies", "namespace", "fail-on", "output", "mutate");
        if (options.Help)
        {
            output.WriteLine(Help);
            return CommandLine.Clean;
        }
        if (options.Arguments.Count == 0)
        {
            throw new UsageException("check: give at least one file, folder, or - for stdin");
        }
        var failOn = options.Choice("fail-on", "enforce", "enforce", "warn", "never");
        var format = options.Choice("output", "text", "text", "json", "sarif", "junit");
        var mutate = options.Get("mutate") is null ? null : options.Choice("mutate", "manifests", "manifests", "patches");
        var policies = PolicySource.Load(options.Get("policies"), error);
        if (policies is null)
        {
            return CommandLine.UsageError;
        }
        var defaultNamespace = options.Get("namespace") ?? "default";

        var objects = new List<ManifestObject>();
        var inputErrors = 0;
        foreach (var (file, text) in ManifestInputs.Read(options.Arguments, error, ref inputErrors))
        {
            var (read, errors) = ManifestBundle.Read(file, text);
            objects.AddRange(read);
            foreach (var problem in errors)
            {
                error.WriteLine(problem.ToString());
                inputErrors++;
            }
        }

        var cluster = new ManifestClusterState(objects, defaultNamespace, policies.Recognition);
        var results = new CheckResults();
        foreach (var obj in objects)
        {
            if (obj.Kind is null)
            {
                error.WriteLine($"{obj.Location}: a manifest needs a kind (and an apiVersion); this document has none and was not checked");
                inputErrors++;
                continue;
            }
            ObjectVerdict verdict;
            try
            {
                verdict = ObjectEvaluator.Evaluate(obj.Json, "", policies, cluster, defaultNamespace);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // a bug in AirflowGuard, not in the input: say so plainly and check the rest
                error.WriteLine($"{obj.Location}: AirflowGuard failed to evaluate this object ({ex.GetType().Name}: {ex.Message}); please report it");
                inputErrors++;
                continue;
            }
            foreach (var problem in verdict.Errors)
            {
                error.WriteLine($"{obj.Location}: {problem}");
                inputErrors++;
            }
            results.Add(obj, verdict);
        }
        if (mutate is null)
        {
            Render(results, format, output);
        }
        else
        {
            inputErrors += MutateOutput.Write(objects, results, mutate, output, error);
            error.WriteLine($"{results.Objects.Count} Airflow object(s) checked: {results.Denied} denied, {results.Warned} warned, {results.Clean} clean");
        }

        if (inputErrors > 0)
        {
            return CommandLine.UsageError;
        }
        return failOn switch
        {
            "never" => CommandLine.Clean,
            "warn" when results.Denied + results.Warned > 0 => CommandLine.Violations,
            _ when results.Denied > 0 => CommandLine.Violations,
            _ => CommandLine.Clean,
        };
    }

    private static void Render(CheckResults results, string format, TextWriter output)
    {
        if (format == "text")
        {
            TextReport.Write(results, output);
            return;
        }
        using var buffer = new MemoryStream();
        switch (format)
        {
            case "json":
                JsonReport.Write(results, buffer);
                break;
            case "sarif":
                SarifReport.Write(results, buffer, typeof(CheckCommand).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
                break;
            default:
                JunitReport.Write(results, buffer);
                break;
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
