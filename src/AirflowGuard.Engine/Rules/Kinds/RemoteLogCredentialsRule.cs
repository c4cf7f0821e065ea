using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Charts;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Policies;

namespace AirflowGuard.Engine.Rules;

/// <summary>
/// Task logs are uploaded by the pod that ran the task (a Celery worker, a KubernetesExecutor task pod; the triggerer
/// for the deferred part), not by the scheduler. When the release reaches its s3:// / gs:// / wasb:// log folder through a workload identity on the
/// scheduler's or webserver's ServiceAccount (EKS IRSA, GKE workload identity, Azure workload identity), and the task
/// pods' ServiceAccount has none and no credentials come from env, the upload fails at the end of every task and the
/// log is lost with the pod (apache/airflow #20408, #25322). A connection stored in Airflow's database may still hold
/// keys, which no manifest shows: the default pack warns.
/// </summary>
internal sealed class RemoteLogCredentialsRule : PodRule
{
    internal static RuleKind Definition { get; } = new("remoteLogCredentials", "task pods that upload remote logs without the cloud identity the rest of the release uses")
    {
        ApiServerGap = "it compares the pod's cloud identity with the release's other pods and their ServiceAccounts, other objects",
        Placeholders = ["pod", "container", "component", "account", "peer", "remoteLogging", "detail"],
        DefaultMessage = "{pod} ({component}) uploads task logs to {remoteLogging} as ServiceAccount {account}, which carries no {detail}, while {peer} reaches the store through its account's identity; no credentials come from env either, so every upload fails and the logs are lost with the pod (unless the log connection in Airflow's database holds keys)",
        DefaultFix = "give the task pods' ServiceAccount the same workload identity annotation as the scheduler's (the official chart: workers.serviceAccount.annotations), or run them as the scheduler's account",
        BodySchema = """
            {
              "$ref": "#/definitions/emptyCheck"
            }
            """,
        Read = body => body.IsEmptyCheck() ? new RemoteLogCredentialsRule { Name = body.Name, Location = body.Location, Message = body.Message(), Fix = body.Fix() } : null,
    };

    public override string Kind => Definition.Key;

    internal override void Check(EvaluationContext context, RuleReport report)
    {
        if (context.Component is not (AirflowComponent.Worker or AirflowComponent.Task or AirflowComponent.Triggerer) || context.MainSettings is not var (container, settings) ||
            settings.RemoteLoggingOn != true || CloudIdentities.OfRemoteFolder(settings.RemoteBaseLogFolder.Value) is not { } cloud ||
            context.Cluster.GetServiceAccount(context.Namespace, context.Pod.ServiceAccount) is not { IsFound: true, Value: { } account } ||
            account.IdentityAnnotation(cloud) is not null || HasCredentials(context, container, settings, cloud))
        {
            return; // no object store, an account that has the identity, one that cannot be read, or credentials in env
        }
        foreach (var peer in context.Peers)
        {
            if (peer.Component is not (AirflowComponent.Scheduler or AirflowComponent.Webserver or AirflowComponent.ApiServer) ||
                context.Cluster.GetServiceAccount(context.Namespace, peer.Pod.ServiceAccount) is not { IsFound: true, Value: { } peerAccount } ||
                peerAccount.IdentityAnnotation(cloud) is not { } annotation)
            {
                continue;
            }
            report.Violation(new MessageValues
            {
                Pod = context.Pod.DisplayName,
                Container = container.Name,
                Component = context.Component.ToName(),
                Account = account.Name,
                Peer = $"{peer.Workload} (account {peerAccount.Name}, {annotation})",
                RemoteLogging = settings.RemoteBaseLogFolder.Value,
                Detail = CloudIdentities.Describe(cloud),
            }, JsonPathText.FromPointer(context.Pod.SpecPointer), remedy: new TaskIdentityRemedy(context.Component, cloud, annotation, peerAccount.Name, peerAccount.Annotations.GetValueOrDefault(annotation)));
            return;
        }
    }

    /// <summary>Credentials the container gets from env (the cloud's own variables, or the log connection as AIRFLOW_CONN_*), or may get from an envFrom source out of view.</summary>
    private static bool HasCredentials(EvaluationContext context, ContainerView container, EffectiveAirflowSettings settings, CloudIdentity cloud)
    {
        var connection = settings.Get(AirflowOption.RemoteLogConnId).Value is { Length: > 0 } id ? id : cloud switch
        {
            CloudIdentity.Aws => "aws_default",
            CloudIdentity.Gcp => "google_cloud_default",
            _ => "wasb_default",
        };
        foreach (var name in CloudIdentities.CredentialEnvOf(cloud).Append("AIRFLOW_CONN_" + connection.ToUpperInvariant()))
        {
            if (SettingsResolver.FindExisting(context.Pod, container, context.Cluster, name) is not null)
            {
                return true; // set, or possibly set by an envFrom source AirflowGuard cannot read
            }
        }
        return false;
    }
}
