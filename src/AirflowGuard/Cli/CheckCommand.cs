using System.CommandLine;
using AirflowGuard.Checking;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Reports;

namespace AirflowGuard.Cli;

/// <summary>
/// <c>airflowguard check [PATH…|-] [--chart DIR|REF -f values.yaml … --set k=v --release NAME]</c>: runs the check pipeline (<see cref="ManifestCheck"/>) over rendered manifests and
/// writes its report. All inputs form one release, so a claim declared in one file resolves a pod in another.
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
    private static readonly Option<string?> PoliciesFromClusterOption = new("--policies-from-cluster")
    {
        Description = "check with the policies the installed webhook serves (the ConfigMaps its Deployment mounts at --policies), " +
            "found by the label " + ClusterPolicies.WebhookLabel + " or named as NAMESPACE/DEPLOYMENT",
        HelpName = "NAMESPACE/DEPLOYMENT",
        Arity = ArgumentArity.ZeroOrOne,
    };
    private static readonly Option<string?> KubeconfigOption = CommonOptions.Kubeconfig();
    private static readonly Option<string?> ServerOption = CommonOptions.Server();
    private static readonly Option<string> ColorOption = CommonOptions.Choice("--color", "colour: auto is on a terminal unless NO_COLOR is set", "auto", "always", "never");
    private static readonly Option<string?> MutateOption = new("--mutate")
    {
        Description = "manifests: print every input object as the webhook would patch it (YAML); patches: the JSON Patch of each object that gets one (JSON); the summary goes to stderr",
        HelpName = "manifests|patches",
    };

    private static readonly Option<string?> ChartOption = new("--chart")
    {
        Description = "render this chart (a folder, a .tgz, or repo/chart) with the helm on PATH and check what it renders; a render that fails, or renders no Airflow object, is exit 2",
        HelpName = "DIR|REF",
    };
    private static readonly Option<string[]> ValuesOption = new("--values", "-f")
    {
        Description = "with --chart: a values file, as helm takes it (repeat, in order)",
        HelpName = "FILE",
        Arity = ArgumentArity.ZeroOrMore,
    };
    private static readonly Option<string[]> SetOption = new("--set")
    {
        Description = "with --chart: a value, as helm's --set takes it (repeat)",
        HelpName = "KEY=VALUE",
        Arity = ArgumentArity.ZeroOrMore,
    };
    private static readonly Option<string> ReleaseOption = new("--release")
    {
        Description = "with --chart: the release name to render with",
        HelpName = "NAME",
        DefaultValueFactory = _ => "airflow",
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
            ChartOption, ValuesOption, SetOption, ReleaseOption, PoliciesFromClusterOption,
        };
        command.SetAction(parsed => Run(parsed, output, error));
        return command;
    }

    private static int Run(ParseResult parsed, TextWriter output, TextWriter error)
    {
        var paths = parsed.GetValue(PathsArgument) ?? [];
        var chart = parsed.GetValue(ChartOption);
        if (paths.Length == 0 && chart is null)
        {
            throw new UsageException("check: give at least one file, folder, or - for stdin, or --chart");
        }
        if (chart is null && ((parsed.GetValue(ValuesOption)?.Length ?? 0) > 0 || (parsed.GetValue(SetOption)?.Length ?? 0) > 0))
        {
            throw new UsageException("check: --values and --set are for --chart");
        }
        var failOn = parsed.GetValue(FailOnOption)!;
        var format = parsed.GetValue(OutputOption)!;
        var colour = Terminal.Colour(parsed.GetValue(ColorOption)!, output);
        var mutate = parsed.GetValue(MutateOption);
        var policies = parsed.GetResult(PoliciesFromClusterOption) is null
            ? PolicySource.Load(parsed.GetValue(PoliciesOption), error)
            : FromCluster(parsed, error);
        if (policies is null)
        {
            return CommandLine.UsageError;
        }
        var defaultNamespace = parsed.GetValue(NamespaceOption) ?? "default";

        IClusterState? live = null;
        IReadOnlyList<Engine.Policies.PolicyExceptionObject> liveExceptions = [];
        if (parsed.GetValue(ClusterOption))
        {
            try
            {
                using var api = AirflowGuard.Cluster.KubeApi.Create(new AirflowGuard.Cluster.ClusterCacheOptions { Kubeconfig = parsed.GetValue(KubeconfigOption), Server = parsed.GetValue(ServerOption) });
                var snapshot = AirflowGuard.Cluster.ClusterSnapshot.LoadAsync(api, null, includePods: true, readSecrets: false, CancellationToken.None).GetAwaiter().GetResult();
                var cluster = new ManifestClusterState(snapshot, defaultNamespace, policies.Recognition);
                (live, liveExceptions) = (cluster, cluster.PolicyExceptions);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or k8s.Exceptions.KubeConfigException or System.Text.Json.JsonException)
            {
                error.WriteLine($"airflowguard check: --cluster: cannot read the cluster: {ex.Message}");
                return CommandLine.UsageError;
            }
        }

        var inputErrors = 0;
        using var sources = ManifestSources.Open(paths, error, ref inputErrors);
        using var rendered = chart is null ? null : new TemporaryFile();
        if (chart is not null)
        {
            if (HelmRender.Find() is not { } helm)
            {
                error.WriteLine("airflowguard check: --chart needs helm: none on PATH (or set AIRFLOWGUARD_HELM to its path)");
                return CommandLine.UsageError;
            }
            var release = parsed.GetValue(ReleaseOption)!;
            if (HelmRender.Render(helm, chart, parsed.GetValue(ValuesOption) ?? [], parsed.GetValue(SetOption) ?? [], release, defaultNamespace, rendered!.Path) is { } failed)
            {
                error.WriteLine($"airflowguard check: {failed}");
                return CommandLine.UsageError;
            }
            sources.Files.Add(ManifestSource.FromFile($"helm template {release} {chart}", rendered.Path));
        }
        var manifests = mutate == "manifests" ? new MutatedManifests(output, error.WriteLine) : null;
        // the text report is written as objects are checked: memory stays flat however long the input
        var streamed = mutate is null && format == "text";
        var results = new ManifestCheck(policies, defaultNamespace)
        {
            Live = live,
            LiveExceptions = liveExceptions,
            OnProblem = problem => error.WriteLine(problem.Text),
            OnObject = manifests is null ? null : manifests.Write,
            OnRow = streamed ? row => TextReport.WriteObject(row, output, colour) : null,
        }.Run(sources.Files);
        manifests?.Flush();
        switch (mutate)
        {
            case null when streamed:
                TextReport.WriteSummary(results, output);
                break;
            case null:
                ReportFormats.Write(results, format, output, colour);
                break;
            case "patches":
                PatchesReport.WritePatches(results, output);
                break;
        }
        if (mutate is not null)
        {
            error.WriteLine(results.Summary);
        }

        if (inputErrors + results.InputErrors + (manifests?.Failures ?? 0) > 0)
        {
            return CommandLine.UsageError;
        }
        if (chart is not null && results.Count == 0)
        {
            // a chart that renders nothing AirflowGuard checks (values that turn everything off, the wrong chart) checked nothing
            error.WriteLine($"airflowguard check: helm template {chart} rendered no Airflow object: nothing was checked");
            return CommandLine.UsageError;
        }
        return results.ExitCode(failOn);
    }

    /// <summary>The installed webhook's policies (<c>--policies-from-cluster</c>); null, with the reason written, when they cannot be read or loaded.</summary>
    private static Engine.Policies.PolicySet? FromCluster(ParseResult parsed, TextWriter error)
    {
        if (parsed.GetValue(PoliciesOption) is not null)
        {
            throw new UsageException("check: --policies and --policies-from-cluster name two policy sets; give one");
        }
        try
        {
            using var api = AirflowGuard.Cluster.KubeApi.Create(new AirflowGuard.Cluster.ClusterCacheOptions { Kubeconfig = parsed.GetValue(KubeconfigOption), Server = parsed.GetValue(ServerOption) });
            var loaded = ClusterPolicies.LoadAsync(api, parsed.GetValue(PoliciesFromClusterOption), CancellationToken.None).GetAwaiter().GetResult();
            foreach (var problem in loaded.Result.Errors)
            {
                error.WriteLine($"{problem}");
            }
            if (!loaded.Result.Succeeded)
            {
                error.WriteLine($"airflowguard check: the webhook's policies ({loaded.Origin}) have {loaded.Result.Errors.Count} error(s); nothing was checked");
                return null;
            }
            error.WriteLine($"airflowguard check: policies from {loaded.Origin}: {loaded.Result.Set!.Policies.Count} policies");
            return loaded.Result.Set;
        }
        catch (Exception ex) when (ex is ClusterPolicyException or HttpRequestException or IOException or k8s.Exceptions.KubeConfigException or System.Text.Json.JsonException)
        {
            error.WriteLine($"airflowguard check: --policies-from-cluster: {ex.Message}");
            return null;
        }
    }

    /// <summary>A temporary file, deleted when disposed.</summary>
    private sealed class TemporaryFile : IDisposable
    {
        public string Path { get; } = System.IO.Path.GetTempFileName();

        public void Dispose() => File.Delete(Path);
    }
}
