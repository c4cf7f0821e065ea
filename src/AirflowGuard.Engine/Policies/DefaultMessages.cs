namespace AirflowGuard.Engine.Policies;

/// <summary>Messages used when a rule in a policy file does not write its own.</summary>
internal static class DefaultMessages
{
    public const string ForbidVolume =
        "the {folder} {path} of container {container} is on volume {volume} ({backing}), which this policy forbids";

    public const string GitSync =
        "git-sync in container {container} writes into persistent volume {volume} ({backing}), and {writers}; " +
        "two git-sync writers on one volume race on .git/index.lock and restart-loop";

    public const string GitSyncFix =
        "let one workload (the dag-processor, or the scheduler without one) sync into the claim and mount it read-only everywhere else, " +
        "or give each pod its own emptyDir for git-sync";

    public const string ReadWriteOnce =
        "claim {claim} is {accessModes}, but {pod} ({component}) writes it at {mountPath} from pods that may run on different nodes";

    public const string ReadWriteOnceFix =
        "use a ReadWriteMany claim (NFS, EFS, Azure Files, Filestore) for data shared between pods, or remote logging for logs";

    public const string DagsFolder =
        "the DAGs folder {path} ({setting}) is not on DAG volume {volume}, which container {container} mounts at {mountPath}; Airflow will not see those DAGs";

    public const string DagsFolderFix =
        "mount the DAG volume at the DAGs folder, or set AIRFLOW__CORE__DAGS_FOLDER (dags.path in the chart) to the mount path";

    public const string LiteralSecret =
        "env {env} in container {container} holds a secret as a literal value; it is stored in plain text in the pod spec and copied to every task pod";

    public const string LiteralSecretFix =
        "put the value in a Secret and reference it with valueFrom.secretKeyRef (or use the _SECRET / _CMD variant of the option)";

    public const string DagClaimWriter =
        "claim {claim} is mounted for DAGs by {workloads}, all read-only, and no workload in this release writes it: nothing here will ever put DAGs in it";

    public const string DagClaimWriterFix =
        "let one workload sync DAGs into it (git-sync in the dag-processor or scheduler, read-write), or ignore this if something outside the release fills the volume";

    public const string ReadWriteOnceAcross =
        "claim {claim} is {accessModes} but {writers} all write it; it attaches to one node at a time, so pods of the other workloads cannot start elsewhere";
}
