using System.CommandLine;
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
    private static readonly Argument<string[]> PathsArgument = CommonOptions.Paths("PATH", "manifest files or folders (recursive: *.yaml, *.yml, *.json); - reads stdin");
    private static readonly Option<string?> PoliciesOption = CommonOptions.Policies();
    private static readonly Option<string?> NamespaceOption = CommonOptions.Namespace();
    private static readonly Option<string> FailOnOption = CommonOptions.FailOn();
    private static readonly Option<string> OutputOption = CommonOptions.Output("text", "json", "sarif", "junit");
    private static readonly Option<bool> ClusterOption = new("--cluster")
    {
        Description = "resolve claims, volumes, classes and ConfigMaps the input does not declare from the live cluster (kubeconfig, read-only)",
    };
    private static readonly Option<string?> KubeconfigOption = CommonOptions.Kubeconfig();
    private static readonly Option<string?> ServerOption = CommonOptions.Server();
    private static readonly Option<string> ColorOption = CommonOptions.Choice("--color", "colour: auto is on a terminal unless NO_COLOR is set", "auto", "always", "never");
    private static readonly Option<string?> MutateOption = new("--mutate")
    {
        Description = "manifests: print every input object as the webhook would patch it (YAML); patches: the JSON Patch of each object that gets one (JSON); the summary goes to stderr",
        HelpName = "manifests|patches",
    };

    /// <summary>exit codes: 0 clean, 1 violations at or above --fail-on, 2 usage, input or policy errors.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        MutateOption.Validators.Clear();
        MutateOption.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value && value is not ("manifests" or "patches"))
            {
                result.AddError($"--mutate must be one of manifests, patches, found \"{value}\"");
            }
        });
        var command = new Command("check", "check manifests (files, folders, or - for stdin) against the policies; exit 0 clean, 1 violations at or above --fail-on, 2 usage, input or policy errors")
        {
            PathsArgument, PoliciesOption, NamespaceOption, FailOnOption, OutputOption, ClusterOption, KubeconfigOption, ServerOption, ColorOption, MutateOption,
        };
        command.SetAction(parsed => Run(parsed, output, error));
        return command;
    }

    private static int Run(ParseResult parsed, TextWriter output, TextWriter error)
    {
        var paths = parsed.GetValue(PathsArgument) ?? [];
        if (paths.Length == 0)
        {
            throw new UsageException("check: give at least one file, folder, or - for stdin");
        }
        var failOn = parsed.GetValue(FailOnOption)!;
        var format = parsed.GetValue(OutputOption)!;
        var colour = Terminal.Colour(parsed.GetValue(ColorOption)!, output);
        var mutate = parsed.GetValue(MutateOption);
        var policies = PolicySource.Load(parsed.GetValue(PoliciesOption), error);
        if (policies is null)
        {
            return CommandLine.UsageError;
        }
        var defaultNamespace = parsed.GetValue(NamespaceOption) ?? "default";

        var inputErrors = 0;
        using var sources = ManifestSources.Open(paths, error, ref inputErrors);

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
        if (parsed.GetValue(ClusterOption))
        {
            try
            {
                using var api = AirflowGuard.Cluster.KubeApi.Create(new AirflowGuard.Cluster.ClusterCacheOptions { Kubeconfig = parsed.GetValue(KubeconfigOption), Server = parsed.GetValue(ServerOption) });
                var snapshot = AirflowGuard.Cluster.ClusterSnapshot.LoadAsync(api, null, includePods: true, readSecrets: false, CancellationToken.None).GetAwaiter().GetResult();
                live = new ManifestClusterState(snapshot, defaultNamespace, policies.Recognition);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or k8s.Exceptions.KubeConfigException or System.Text.Json.JsonException)
            {
                error.WriteLine($"airflowguard check: --cluster: cannot read the cluster: {ex.Message}");
                return CommandLine.UsageError;
            }
        }

        var manifests = mutate == "manifests" ? new MutatedManifests(output, error) : null;
        // the text report is written as objects are checked: memory stays flat however long the input
        var streamed = mutate is null && format == "text";
        var into = streamed ? new CheckResults(obj => TextReport.WriteObject(obj, output, colour)) : new CheckResults();
        var results = CheckAll(spool.Objects(), ManifestSpool.Open, cluster, live, policies, defaultNamespace, error, ref inputErrors, manifests, into: into);
        switch (mutate)
        {
            case null when streamed:
                TextReport.WriteSummary(results, output);
                break;
            case null:
                Render(results, format, output, colour);
                break;
            case "patches":
                MutateOutput.WritePatches(results, output);
                break;
        }
        if (mutate is not null)
        {
            error.WriteLine($"{results.Count} Airflow object(s) checked: {results.Denied} denied, {results.Warned} warned, {results.Repaired} repaired, {results.Clean} clean");
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
        string defaultNamespace, TextWriter error, ref int inputErrors, MutatedManifests? manifests = null, Action<ManifestObject, ObjectVerdict?>? each = null) =>
        CheckAll(objects, obj => obj, cluster, live, policies, defaultNamespace, error, ref inputErrors, manifests, each);

    /// <summary><see cref="CheckAll(IEnumerable{ManifestObject}, ManifestClusterState, IClusterState?, PolicySet, string, TextWriter, ref int, MutatedManifests?, Action{ManifestObject, ObjectVerdict?}?)"/> over items opened into objects on the worker threads (spooled JSON, parsed there).</summary>
    internal static CheckResults CheckAll<T>(IEnumerable<T> items, Func<T, ManifestObject> open, ManifestClusterState cluster, IClusterState? live, PolicySet policies,
        string defaultNamespace, TextWriter error, ref int inputErrors, MutatedManifests? manifests = null, Action<ManifestObject, ObjectVerdict?>? each = null,
        CheckResults? into = null)
    {
        var results = into ?? new CheckResults();
        // opened and evaluated on every core; reported, written and counted here, in input order
        var evaluated = OrderedParallel.Select(items, item =>
        {
            var obj = open(item);
            var scoped = cluster.ForFile(obj.File);
            return Evaluate(obj, policies, live is null ? scoped : new LayeredClusterState(scoped, live), defaultNamespace);
        }, window: 8 * Environment.ProcessorCount);
        foreach (var (obj, outcome) in evaluated)
        {
            var verdict = Report(obj, outcome, error, ref inputErrors);
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

    /// <summary>
    /// The verdict, or why there is none: no kind, or a failure inside AirflowGuard; with the object, which notes what
    /// reports name it by when a bare Pod was read in one pass from its bytes. Pure: safe on any thread.
    /// </summary>
    private static (ManifestObject Object, (ObjectVerdict? Verdict, string? Problem) Outcome) Evaluate(ManifestObject obj, PolicySet policies, IClusterState cluster, string defaultNamespace)
    {
        if (obj.Kind is null)
        {
            return (obj, (null, "a manifest needs a kind (and an apiVersion); this document has none and was not checked"));
        }
        try
        {
            if (obj.TryReadBarePod(out var apiVersion) is { } pod)
            {
                // the same view the thorough reader gives (PodStreamReaderTests), so the same verdict, without parsing the JSON
                var noted = obj with { Noted = new NotedIdentity(apiVersion, pod.Metadata.Namespace, pod.Metadata.Name) };
                return (noted, (ObjectEvaluator.EvaluatePod("Pod", pod, obj.Source, policies, cluster, defaultNamespace), null));
            }
            return (obj, (ObjectEvaluator.Evaluate(obj.Json, "", policies, cluster, defaultNamespace), null));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // a bug in AirflowGuard, not in the input: say so plainly and check the rest
            return (obj, (null, $"AirflowGuard failed to evaluate this object ({ex.GetType().Name}: {ex.Message}); please report it"));
        }
    }

    private static ObjectVerdict? Report(ManifestObject obj, (ObjectVerdict? Verdict, string? Problem) outcome, TextWriter error, ref int inputErrors)
    {
        if (outcome.Problem is not null)
        {
            error.WriteLine($"{obj.Location}: {outcome.Problem}");
            inputErrors++;
            return null;
        }
        var verdict = outcome.Verdict!;
        foreach (var problem in verdict.Errors)
        {
            error.WriteLine($"{obj.Location}: {problem}");
            inputErrors++;
        }
        return verdict;
    }
}
