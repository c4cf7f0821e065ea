using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Policies;
using AirflowGuard.Engine.Yaml;

namespace AirflowGuard.Checking;

/// <summary>
/// The one check pipeline. <c>check</c>, <c>explain</c>, <c>test</c>, <c>audit</c> and the playground all run it, and
/// every output format renders its <see cref="CheckReport"/>, so they cannot answer differently. The steps:
/// <list type="number">
/// <item>read every input once and index what pods refer to (claims, volumes, classes, ConfigMaps, Secrets, git-sync
/// writers), spooling the objects (<see cref="ManifestSpool"/>) — or take objects already read (a cluster snapshot);</item>
/// <item>report objects declared twice, differently;</item>
/// <item>evaluate each object against its own file's view of the index (<see cref="ManifestClusterState.ForFile"/>),
/// layered over the live cluster when there is one: on every core, handed back in input order;</item>
/// <item>run the release-wide rules over every claim the workloads mount, each finding on the claim's row.</item>
/// </list>
/// </summary>
internal sealed class ManifestCheck(PolicySet policies, string defaultNamespace)
{
    private readonly PolicySet _loaded = policies;

    // the policies with the AirflowPolicyException objects of the input (and of the live cluster) applied, from step 2 on
    private PolicySet _policies = policies;

    /// <summary>AirflowPolicyException objects of the live cluster (<c>check --cluster</c>), honoured with the input's own.</summary>
    public IReadOnlyList<PolicyExceptionObject> LiveExceptions { get; init; } = [];

    /// <summary>The live cluster (or the playground's stand-in for it), asked what the input does not declare.</summary>
    public IClusterState? Live { get; init; }

    /// <summary>Keep every object with its verdict on the report (explain, test, the playground); otherwise they are only handed to <see cref="OnObject"/>.</summary>
    public bool KeepObjects { get; init; }

    /// <summary>Run the release-wide rules (false for running pods, which are not a release's workloads).</summary>
    public bool ReleaseRules { get; init; } = true;

    /// <summary>Which of the objects read are evaluated (all by default; audit: the running pods). All of them are indexed.</summary>
    public Func<ManifestObject, bool>? Evaluates { get; init; }

    /// <summary>Each problem, as it is met.</summary>
    public Action<CheckProblem>? OnProblem { get; init; }

    /// <summary>Each evaluated object, in input order, as soon as it is checked.</summary>
    public Action<ObjectCheck>? OnObject { get; init; }

    /// <summary>Each report row, in order, as soon as it is known; when set, the report does not keep its rows (the text report streams).</summary>
    public Action<CheckedObject>? OnRow { get; init; }

    /// <summary>
    /// Stops the run between documents and between objects (<see cref="OperationCanceledException"/>): the playground
    /// abandons an evaluation past its time limit and must not keep a core busy with it.
    /// </summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>Checks the manifests in <paramref name="sources"/> as one release: a claim declared in one file resolves a pod in another.</summary>
    public CheckReport Run(IReadOnlyList<ManifestSource> sources)
    {
        var report = new CheckReport(keepRows: OnRow is null);
        // 1. read and index: a bounded window of documents in memory, YAML parsed once on every core
        var index = new ManifestClusterState(defaultNamespace, _loaded.Recognition);
        using var spool = ManifestSpool.Fill(sources, index, error => Problem(report, new CheckProblem(CheckProblemKind.Read, error.ToString()) { Manifest = error }), Cancellation);
        return Check(spool.Objects(), ManifestSpool.Open, index, report);
    }

    /// <summary>Checks objects already read (a cluster snapshot), indexed in the order given.</summary>
    public CheckReport Run(IReadOnlyList<ManifestObject> objects)
    {
        var report = new CheckReport(keepRows: OnRow is null);
        var index = new ManifestClusterState(objects, defaultNamespace, _loaded.Recognition);
        return Check(objects, obj => obj, index, report);
    }

    private CheckReport Check<T>(IEnumerable<T> items, Func<T, ManifestObject> open, ManifestClusterState index, CheckReport report)
    {
        // 2. objects declared twice, differently: said once, then each file sees its own
        foreach (var conflict in index.Conflicts)
        {
            Problem(report, new CheckProblem(CheckProblemKind.Conflict, conflict.ToString()));
        }
        // and the waivers asked for as AirflowPolicyException objects: honoured unless expired, each problem said
        foreach (var unreadable in index.PolicyExceptionErrors)
        {
            Problem(report, new CheckProblem(CheckProblemKind.Object, unreadable));
        }
        if (index.PolicyExceptions.Count > 0 || LiveExceptions.Count > 0)
        {
            var (waived, problems) = PolicyExceptionObject.Apply(_loaded, [.. index.PolicyExceptions, .. LiveExceptions], DateTimeOffset.UtcNow);
            _policies = waived;
            foreach (var problem in problems)
            {
                Problem(report, new CheckProblem(CheckProblemKind.Exception, problem));
            }
        }

        // 3. evaluated on every core; reported, kept and counted here, in input order
        var evaluated = OrderedParallel.Select(items, item =>
        {
            if (Cancellation.IsCancellationRequested)
            {
                return null; // the loop below throws
            }
            var obj = open(item);
            if (Evaluates is { } evaluates && !evaluates(obj))
            {
                return null;
            }
            var scope = index.ForFile(obj.File);
            return Evaluate(obj, Live is null ? scope : new LayeredClusterState(scope, Live));
        }, window: 8 * Environment.ProcessorCount);
        foreach (var check in evaluated)
        {
            Cancellation.ThrowIfCancellationRequested();
            if (check is null)
            {
                continue;
            }
            if (check.Problem is not null)
            {
                Problem(report, new CheckProblem(CheckProblemKind.Object, $"{check.Source.Location}: {check.Problem}"));
            }
            foreach (var error in check.Verdict?.Errors ?? [])
            {
                Problem(report, new CheckProblem(CheckProblemKind.Object, $"{check.Source.Location}: {error}"));
            }
            if (KeepObjects)
            {
                report.Keep(check);
            }
            OnObject?.Invoke(check);
            if (check.Row is { } row)
            {
                report.Add(row, release: false);
                OnRow?.Invoke(row);
            }
        }

        // 4. the release as a whole: each claim's findings on one row, where the claim is declared
        if (ReleaseRules)
        {
            foreach (var release in PolicyEngine.EvaluateRelease(_policies, index))
            {
                Cancellation.ThrowIfCancellationRequested();
                report.AddRelease(release);
                if (CheckedObject.For(release) is { } row)
                {
                    report.Add(row, release: true);
                    OnRow?.Invoke(row);
                }
            }
        }
        return report;
    }

    private void Problem(CheckReport report, CheckProblem problem)
    {
        report.Problem(problem);
        OnProblem?.Invoke(problem);
    }

    /// <summary>
    /// The verdict, or why there is none: no kind, or a failure inside AirflowGuard. Pure: safe on any thread.
    /// </summary>
    private ObjectCheck Evaluate(ManifestObject obj, IClusterState scope)
    {
        if (obj.Kind is null)
        {
            return new ObjectCheck(obj, null, scope) { Problem = "a manifest needs a kind (and an apiVersion); this document has none and was not checked" };
        }
        try
        {
            // a pod is read from the object's bytes in one pass; what it says of itself names it in reports, without a parse
            var verdict = ObjectEvaluator.Evaluate(obj.Source, obj.Kind, ObjectEvaluator.RoleOf(obj.Kind, _policies), "", _policies, scope, defaultNamespace,
                owner: obj.EmbeddedIn?.Owner(defaultNamespace));
            if (verdict.Header is { } header)
            {
                obj = obj with { Noted = new NotedIdentity(header.ApiVersion, header.Metadata.Namespace, header.Metadata.Name) };
            }
            return new ObjectCheck(obj, verdict, scope) { Row = CheckedObject.For(obj, verdict) };
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // a bug in AirflowGuard, not in the input: say so plainly and check the rest
            return new ObjectCheck(obj, null, scope) { Problem = $"AirflowGuard failed to evaluate this object ({ex.GetType().Name}: {ex.Message}); please report it" };
        }
    }
}
