using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Policies;
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
          --cluster            resolve claims, volumes, classes and ConfigMaps the input does not declare from
                               the live cluster (kubeconfig, read-only); --kubeconfig FILE, --server URL
          --color WHEN         auto (default: on a terminal, unless NO_COLOR is set), always or never
          --mutate WHAT        manifests: print every input object as the webhook would patch it (YAML);
                               patches: print the JSON Patch of each object that gets one (JSON).
                               The report's summary goes to stderr.

        exit codes: 0 clean, 1 violations at or above --fail-on, 2 usage, input or policy errors
        """;

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var options = Options.Parse(args, "check", "policies", "namespace", "fail-on", "output", "mutate", "color", "cluster", "kubeconfig", "server");
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
        var colour = Terminal.Colour(options.Choice("color", "auto", "auto", "always", "never"), output);
        var mutate = options.Get("mutate") is null ? null : options.Choice("mutate", "manifests", "manifests", "patches");
        var policies = PolicySource.Load(options.Get("policies"), error);
        if (policies is null)
        {
            return CommandLine.UsageError;
        }
        var defaultNamespace = options.Get("namespace") ?? "default";

        var inputErrors = 0;
        using var sources = ManifestSources.Open(options.Arguments, error, ref inputErrors);

        // Two passes, a bounded number of documents in memory at a time: the first reads the YAML,
        // indexes what pods refer to (claims, volumes, classes, ConfigMaps, Secrets, git-sync
        // writers) and spools the objects; the second checks them against the complete index.
        var cluster = new ManifestClusterState(defaultNamespace, policies.Recognition);
        using var spool = ManifestSpool.Fill(sources.Files, cluster, error);
        inputErrors += spool.Errors;
        foreach (var conflict in cluster.Conflicts)
        {
            error.WriteLine(conflict.ToString());
        }

        IClusterState? live = null;
        if (options.Get("cluster") == "true")
        {
            try
            {
                using var api = Webhook.Cluster.KubeApi.Create(new Webhook.ClusterCacheOptions { Kubeconfig = options.Get("kubeconfig"), Server = options.Get("server") });
                var snapshot = Webhook.Cluster.ClusterSnapshot.LoadAsync(api, null, includePods: true, readSecrets: false, CancellationToken.None).GetAwaiter().GetResult();
                live = new ManifestClusterState(snapshot, defaultNamespace, policies.Recognition);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or k8s.Exceptions.KubeConfigException or System.Text.Json.JsonException)
            {
                error.WriteLine($"airflowguard check: --cluster: cannot read the cluster: {ex.Message}");
                return CommandLine.UsageError;
            }
        }

        var manifests = mutate == "manifests" ? new MutatedManifests(output, error) : null;
        var results = CheckAll(spool.Objects(), cluster, live, policies, defaultNamespace, error, ref inputErrors, manifests);
        switch (mutate)
        {
            case null:
                Render(results, format, output, colour);
                break;
            case "patches":
                MutateOutput.WritePatches(results, output);
                break;
        }
        if (mutate is not null)
        {
            error.WriteLine($"{results.Objects.Count} Airflow object(s) checked: {results.Denied} denied, {results.Warned} warned, {results.Repaired} repaired, {results.Clean} clean");
        }

        if (inputErrors > 0)
        {
            return CommandLine.UsageError;
        }
        return results.ExitCode(failOn);
    }

    /// <summary>
    /// Checks every object against the indexed <paramref name="cluster"/> (and the live one, if any)
    /// and the release as a whole; the playground runs this same function.
    /// </summary>
    internal static CheckResults CheckAll(IEnumerable<ManifestObject> objects, ManifestClusterState cluster, IClusterState? live, PolicySet policies,
        string defaultNamespace, TextWriter error, ref int inputErrors, MutatedManifests? manifests = null, Action<ManifestObject, ObjectVerdict?>? each = null)
    {
        var results = new CheckResults();
        foreach (var obj in objects)
        {
            var scoped = cluster.ForFile(obj.File);
            var verdict = Check(obj, policies, live is null ? scoped : new LayeredClusterState(scoped, live), defaultNamespace, error, ref inputErrors);
            if (verdict is not null)
            {
                results.Add(obj, verdict);
            }
            manifests?.Write(obj, verdict, ref inputErrors);
            each?.Invoke(obj, verdict);
        }
        manifests?.Flush();
        foreach (var finding in PolicyEngine.EvaluateRelease(policies, cluster))
        {
            results.AddRelease(finding);
        }
        return results;
    }

    internal static void Render(CheckResults results, string format, TextWriter output, bool colour)
    {
        if (format == "text")
        {
            TextReport.Write(results, output, colour);
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

    private static ObjectVerdict? Check(ManifestObject obj, PolicySet policies, IClusterState cluster, string defaultNamespace, TextWriter error, ref int inputErrors)
    {
        if (obj.Kind is null)
        {
            error.WriteLine($"{obj.Location}: a manifest needs a kind (and an apiVersion); this document has none and was not checked");
            inputErrors++;
            return null;
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
            return null;
        }
        foreach (var problem in verdict.Errors)
        {
            error.WriteLine($"{obj.Location}: {problem}");
            inputErrors++;
        }
        return verdict;
    }
}
