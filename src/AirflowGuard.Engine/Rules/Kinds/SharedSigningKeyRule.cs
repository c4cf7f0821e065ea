using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Charts;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Policies;

namespace AirflowGuard.Engine.Rules;

/// <summary>
/// The key Airflow's components sign each other's requests with must be one key. Airflow 2's webserver signs the
/// requests it sends to the log servers of workers, triggerer and scheduler with <c>[webserver] secret_key</c>; a log
/// server with another key answers 403 and the UI shows no log of a running task (apache/airflow PR #17142). Airflow 3
/// signs task tokens and served-log requests with <c>[api_auth] jwt_secret</c>: the api-server refuses the tokens the
/// scheduler issued with another key, and tasks fail (apache/airflow #49871). Unset, either key is made up by every
/// process at start, so no two agree. Values are compared, never shown: messages name where each comes from.
/// </summary>
internal sealed class SharedSigningKeyRule : PodRule
{
    internal static RuleKind Definition { get; } = new("sharedSigningKey", "an Airflow component whose signing key (secret_key, jwt_secret) is not the release's one key")
    {
        ApiServerGap = "it compares the pod's signing keys with the release's other components, keys held in Secrets",
        Placeholders = ["pod", "container", "component", "setting", "peer", "detail"],
        DefaultMessage = "{pod} ({component}) {detail}",
        DefaultFix = "give every Airflow component the same {setting} from one Secret (the official chart does: webserverSecretKeySecretName for Airflow 2, jwtSecretName for Airflow 3)",
        BodySchema = """
            {
              "$ref": "#/definitions/emptyCheck"
            }
            """,
        Read = body => body.IsEmptyCheck() ? new SharedSigningKeyRule { Name = body.Name, Location = body.Location, Message = body.Message(), Fix = body.Fix() } : null,
    };

    public override string Kind => Definition.Key;

    /// <summary>The components that sign or check with the key, for Airflow 2 and for Airflow 3.</summary>
    private static bool SignsWith(AirflowComponent component, int major) => major >= 3
        ? component is AirflowComponent.ApiServer or AirflowComponent.Scheduler or AirflowComponent.Worker or AirflowComponent.Triggerer or AirflowComponent.DagProcessor
        : component is AirflowComponent.Webserver or AirflowComponent.Scheduler or AirflowComponent.Worker or AirflowComponent.Triggerer;

    internal override void Check(EvaluationContext context, RuleReport report)
    {
        if (context.Peers.Count == 0 || context.MainSettings is not var (container, settings) ||
            AirflowVersion.MajorOf(container) is not { } major || major < 2 || // Airflow 1.10's default secret_key is one fixed text
            !SignsWith(context.Component, major) || !AnySigns(context.Peers, major))
        {
            return; // the key matters between components: alone (one object, or no other component in view) nothing disagrees
        }
        var option = major >= 3 ? AirflowOption.JwtSecret : AirflowOption.SecretKey;
        var key = settings.Get(option);
        if (!key.IsKnown || key.Assumption is not null)
        {
            return; // fetched at start (_CMD, _SECRET), or from a file out of view: nothing to compare
        }
        var path = JsonPlace.Of(container);
        var setting = $"[{option.Section}] {option.Key}";
        if (key.Value is null)
        {
            report.Violation(new MessageValues
            {
                Pod = context.Pod.DisplayName,
                Container = container.Name,
                Component = context.Component.ToName(),
                Setting = setting,
                Detail = $"sets no {setting} (container {container.Name}), so each Airflow process makes up its own at start: {Consequence(major)}",
            }, path, remedy: new SigningKeyRemedy(major, AirflowVersion.VersionOf(container), Unset: true));
            return;
        }
        foreach (var peer in context.Peers)
        {
            if (!SignsWith(peer.Component, major) || context.Of(peer).MainSettings is not var (peerContainer, peerSettings) ||
                AirflowVersion.MajorOf(peerContainer) is not { } peerMajor || peerMajor < 2 ||
                peerSettings.Get(option) is not { IsKnown: true, Assumption: null, Value: { } peerKey } peerValue ||
                string.Equals(peerKey, key.Value, StringComparison.Ordinal))
            {
                continue;
            }
            report.Violation(new MessageValues
            {
                Pod = context.Pod.DisplayName,
                Container = container.Name,
                Component = context.Component.ToName(),
                Setting = setting,
                Peer = peer.Workload,
                Detail = $"reads {setting} from {key.Source}, and {peer.Workload} ({peer.Component.ToName()}) from {peerValue.Source}, which hold different keys: {Consequence(major)}",
            }, path, remedy: new SigningKeyRemedy(major, AirflowVersion.VersionOf(container), Unset: false, OwnEnv: OwnEnv(key.Source, option)));
            return;
        }
    }

    private static bool AnySigns(IReadOnlyList<AirflowPeer> peers, int major)
    {
        for (var i = 0; i < peers.Count; i++)
        {
            if (SignsWith(peers[i].Component, major))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The env var that sets the key in this container ("env AIRFLOW__API_AUTH__JWT_SECRET from Secret …"), when env sets it.</summary>
    private static string? OwnEnv(string source, AirflowOption option) =>
        source.StartsWith("env " + option.EnvName, StringComparison.Ordinal) ? option.EnvName : null;

    private static string Consequence(int major) => major >= 3
        ? "the api-server refuses the tokens the scheduler gives tasks, and logs served by workers and the triggerer answer 403"
        : "the log servers of workers, triggerer and scheduler answer the webserver's requests with 403, and the UI shows no log of a running task";
}
