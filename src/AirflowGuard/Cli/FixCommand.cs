using System.CommandLine;
using AirflowGuard.Checking;
using AirflowGuard.Engine.Charts;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Policies;
using AirflowGuard.Fixing;

namespace AirflowGuard.Cli;

/// <summary>
/// <c>airflowguard fix PATH…</c>: checks a release's rendered manifests as <c>check</c> does and prints one Helm values
/// overlay (YAML, stdout) that repairs every deny and warn finding a key of the chart can repair; the findings no key
/// can repair go to stderr with their pod-level fix. Exit 0 when every finding is covered, 1 when some are not, 2 on
/// bad input.
/// </summary>
internal static class FixCommand
{
    private static readonly Argument<string[]> PathsArgument = CommonOptions.Paths("PATH", "the release's rendered manifests (helm template output: files, folders, or - for stdin)");
    private static readonly Option<string?> PoliciesOption = CommonOptions.Policies();
    private static readonly Option<string?> NamespaceOption = CommonOptions.Namespace("the release's namespace, for objects that name none (helm template leaves it out; default: default)");
    private static readonly Option<string> ChartOption = CommonOptions.Choice("--chart", "the chart whose values keys to use (auto: the one the objects' labels name)", "auto", "official", "community", "stable", "bitnami");
    private static readonly Option<string?> RemoteFolderOption = Site("--remote-base-log-folder", "URL", "where remote logging writes (s3://bucket/path, gs://…, oss://…, wasb-…); picks the matching connection id");
    private static readonly Option<string?> ConnIdOption = Site("--remote-log-conn-id", "ID", "the Airflow connection remote logging uses (default: the store's default, aws_default, google_cloud_default, …)");
    private static readonly Option<string?> WasbContainerOption = Site("--wasb-log-container", "NAME", "the Azure Blob container for remote logs (wasb)");
    private static readonly Option<string?> RwxClassOption = Site("--rwx-storage-class", "NAME", "a StorageClass of a ReadWriteMany shared file system (NFS, EFS, Azure Files, Filestore)");
    private static readonly Option<string?> GitRepoOption = Site("--git-repo", "URL", "the git repository git-sync takes the DAGs from");
    private static readonly Option<string[]> ValuesOption = new("--values", "-f")
    {
        Description = "the release's values files, in the order helm takes them: lets the overlay edit items of your lists (env, volumes), which it can only replace whole",
        HelpName = "FILE",
        AllowMultipleArgumentsPerToken = false,
    };
    private static readonly Option<string?> SecretNameOption = Site("--secret-name", "NAME", "the Secret that holds the values taken out of plain text (the chart's *SecretName keys and secret entries)");

    private static Option<string?> Site(string name, string helpName, string description) => new(name) { Description = description, HelpName = helpName };

    public static Command Create(TextWriter output, TextWriter error)
    {
        var command = new Command("fix", "print a Helm values overlay that repairs the release's findings through the chart's own values; exit 0 all covered, 1 some not (listed on stderr), 2 bad input")
        {
            PathsArgument, PoliciesOption, NamespaceOption, ChartOption, RemoteFolderOption, ConnIdOption, WasbContainerOption, RwxClassOption, SecretNameOption, GitRepoOption, ValuesOption,
        };
        command.SetAction(parsed => Run(parsed, output, error));
        return command;
    }

    private static int Run(ParseResult parsed, TextWriter output, TextWriter error)
    {
        var paths = parsed.GetValue(PathsArgument) ?? [];
        if (paths.Length == 0)
        {
            throw new UsageException("fix: give at least one file, folder, or - for stdin");
        }
        var folder = parsed.GetValue(RemoteFolderOption);
        if (folder is not null && Engine.Storage.ObjectStores.FromRemoteFolder(folder) == Engine.Storage.ObjectStore.None)
        {
            throw new UsageException($"fix: --remote-base-log-folder must start with s3://, gs://, wasb or oss://, found \"{folder}\"");
        }
        var policies = PolicySource.Load(parsed.GetValue(PoliciesOption), error);
        if (policies is null)
        {
            return CommandLine.UsageError;
        }
        var chartName = parsed.GetValue(ChartOption)!;
        var forced = ChartFamilyNames.TryParse(chartName, out var named) ? named : ChartFamily.Unknown; // auto: the labels decide
        var site = new SiteValues
        {
            RemoteBaseLogFolder = folder,
            RemoteLogConnId = parsed.GetValue(ConnIdOption),
            WasbLogContainer = parsed.GetValue(WasbContainerOption),
            RwxStorageClass = parsed.GetValue(RwxClassOption),
            SecretName = parsed.GetValue(SecretNameOption),
            GitRepo = parsed.GetValue(GitRepoOption),
        };
        var valuesFiles = parsed.GetValue(ValuesOption) ?? [];
        var userValues = valuesFiles.Length == 0 ? null : ValuesFile.Load(valuesFiles);

        var inputErrors = 0;
        using var sources = ManifestSources.Open(paths, error, ref inputErrors);
        var results = new ManifestCheck(policies, parsed.GetValue(NamespaceOption) ?? "default")
        {
            OnProblem = problem => error.WriteLine(problem.Text),
        }.Run(sources.Files);
        if (inputErrors + results.InputErrors > 0)
        {
            return CommandLine.UsageError;
        }

        var overlay = new ValuesOverlay(site, userValues);
        var uncovered = new List<string>();
        var charts = new SortedSet<string>(StringComparer.Ordinal);
        var findings = 0;
        foreach (var row in results.Rows)
        {
            foreach (var finding in row.Visible)
            {
                if (finding.Kind != FindingKind.Violation || finding.Mode == PolicyMode.Audit)
                {
                    continue;
                }
                findings++;
                var values = forced == ChartFamily.Unknown ? finding.Values : finding.ValuesFor(new ChartRelease(forced, finding.Values?.Chart.Version, "--chart"));
                var name = $"{finding.Policy}/{finding.Rule} on {row.Name}";
                string why;
                if (values is { Repairs: true } && (!values.NeedsValuesFile || userValues is not null))
                {
                    var missing = values.ListEdits.Where(edit => !EditLists(userValues!, overlay, edit, values, name, site)).ToList();
                    if (missing.Count == 0)
                    {
                        overlay.Add(values, name);
                        charts.Add(values.Chart.Family.ToName());
                        continue;
                    }
                    why = $"{string.Join("; ", missing.Select(m => m.Describe()))}: no such item in the values files given";
                }
                else
                {
                    why = values is null ? "no chart's labels on the object (pass --chart to use a chart's keys)"
                        : values.Repairs ? $"{values.Describe()}: pass the release's values files (-f) so the overlay can edit those lists"
                        : values.Reason;
                }
                uncovered.Add($"{row.Location}  {name}: {why}" + (finding.Fix is null ? "" : $"\n    pod-level fix: {finding.Fix}"));
            }
        }
        if (charts.Count > 1)
        {
            error.WriteLine($"airflowguard fix: the findings are on objects of several charts ({string.Join(", ", charts)}): one overlay is for one chart; pass --chart or fix one release at a time");
            return CommandLine.UsageError;
        }

        var chart = charts.Count == 1 ? charts.Min! : "unknown";
        var header = overlay.IsEmpty
            ? $"airflowguard fix: no values change repairs the {findings} finding(s) of this release (see stderr)"
            : $"Values overlay from airflowguard fix ({chart} chart): helm upgrade … -f your-values.yaml -f this-file.yaml\n" +
              $"{findings - uncovered.Count} of {findings} deny/warn finding(s) repaired by these keys; every other setting of your values stays as it is.";
        var placeholders = overlay.Placeholders.ToList();
        if (placeholders.Count > 0)
        {
            header += "\nReplace the REPLACE-ME values (or pass the option):\n" + string.Join("\n", placeholders.Select(p => $"  {p.Key}  ({p.Option})"));
        }
        overlay.Write(output, header);
        foreach (var conflict in overlay.Conflicts)
        {
            error.WriteLine($"airflowguard fix: conflicting values for {conflict}");
        }
        if (uncovered.Count > 0)
        {
            error.WriteLine($"airflowguard fix: {uncovered.Count} of {findings} finding(s) no values key repairs:");
            foreach (var line in uncovered)
            {
                error.WriteLine(line);
            }
            return 1;
        }
        return 0;
    }

    /// <summary>Makes one list edit in the user's values and names the finding beside every list it changed; false when no list holds the item.</summary>
    private static bool EditLists(ValuesFile values, ValuesOverlay overlay, Engine.Charts.ListEdit edit, ValuesFix fix, string finding, SiteValues site)
    {
        var changed = values.Apply(edit, site.SecretName ?? "REPLACE-ME-secret");
        foreach (var path in changed)
        {
            overlay.AddList(path, () => values.EditedValue(path), finding, $"{edit.Describe()}: {fix.Reason}");
        }
        return changed.Count > 0;
    }
}
