using System.Text.Json.Nodes;
using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Storage;

namespace AirflowGuard.Engine.Charts;

/// <summary>
/// The one place that knows the charts' values keys: turns a <see cref="Remedy"/> into the values change of the chart
/// that rendered the object, or says why no key of that chart can make it. Lists (env, volumes, extraEnv) cannot be
/// edited item by item from an overlay (helm replaces a list whole), so a finding that lives in one stays a pod-level fix.
/// </summary>
internal static class ChartFixes
{
    public static ValuesFix? For(Remedy? remedy, ChartRelease chart)
    {
        if (remedy is null || chart.Family == ChartFamily.Unknown)
        {
            return null;
        }
        return remedy switch
        {
            RemoteLoggingRemedy r => RemoteLogging(r, chart),
            SecretRemedy s => Secret(s, chart),
            SharedClaimRemedy c => SharedClaim(c, chart),
            DagsFromGitRemedy d => DagsFromGit(d, chart),
            UnwrittenDagClaimRemedy u => UnwrittenDagClaim(u, chart),
            ReadOnlyDagsRemedy r => ReadOnlyDags(r, chart),
            DagsFolderRemedy f => DagsFolder(f, chart),
            GitSyncIntoEachPodRemedy g => GitSyncIntoEachPod(g, chart),
            SharedGroupRemedy g => SharedGroup(g, chart),
            DagProcessorRemedy => chart.Family is ChartFamily.Official or ChartFamily.Bitnami
                ? new ValuesFix(chart, [new ValuesChange("dagProcessor.enabled", JsonValue.Create(true))],
                    "the chart starts the standalone dag-processor, which parses the DAGs for the Airflow 3 scheduler")
                : None(chart, "this chart has no dag-processor for Airflow 3: run it beside the release"),
            SigningKeyRemedy k => SigningKey(k, chart),
            LogCleanupRemedy l => LogCleanup(l, chart),
            TaskIdentityRemedy t => TaskIdentity(t, chart),
            LogPortsRemedy => None(chart, "the chart's NetworkPolicies admit only the webserver to the log ports, and no values key adds a peer: apply a NetworkPolicy that admits the api-server beside the release"),
            ChartPodTemplateRemedy => chart.Family == ChartFamily.Official
                ? new ValuesFix(chart, [new ValuesChange("podTemplate", null)],
                    "without podTemplate the chart builds the pod_template_file from the same values as the scheduler: the same DAG volume and logging")
                : None(chart, "give the pod_template_file the DAG volume and logging settings of the scheduler"),
            _ => null,
        };
    }

    // ---- the release's components agree with each other ------------------------------------------------------------

    private static ValuesFix SigningKey(SigningKeyRemedy remedy, ChartRelease chart) => (chart.Family, remedy.AirflowMajor, remedy.Unset) switch
    {
        // the chart gives every component the key of jwtSecretName / webserverSecretKeySecretName: an entry of the values' env lists overrides it for one
        (ChartFamily.Official, _, false) when remedy.OwnEnv is { } env => new ValuesFix(chart, [],
            $"without the override every component reads the chart's one {(remedy.AirflowMajor >= 3 ? "jwt Secret (jwtSecretName)" : "webserver secret key (webserverSecretKeySecretName)")}")
        {
            ListEdits = [new ListEdit(ListEditKind.RemoveEnv, env)],
        },
        (ChartFamily.Official, _, false) => None(chart, "give every component the key from the chart's one Secret (jwtSecretName, webserverSecretKeySecretName)"),
        // the official chart gives every component AIRFLOW__API_AUTH__JWT_SECRET from its jwt Secret once airflowVersion says Airflow 3
        (ChartFamily.Official, >= 3, true) when chart.AtLeast(1, 19) && remedy.AirflowVersion is { } version =>
            new ValuesFix(chart, [new ValuesChange("airflowVersion", JsonValue.Create(version))],
                "with airflowVersion matching the image, the chart gives every component [api_auth] jwt_secret from one Secret"),
        (ChartFamily.Official, >= 3, true) => None(chart, "this chart version renders no jwt Secret: upgrade the chart, or give every component AIRFLOW__API_AUTH__JWT_SECRET from one Secret in env"),
        (ChartFamily.Community or ChartFamily.Stable, _, _) => None(chart, "set the key once for every component (the community chart: airflow.webserverSecretKey or airflow.webserverSecretKeySecretName), and remove per-component overrides"),
        _ => None(chart, "give every component the key from one Secret"),
    };

    private static ValuesFix LogCleanup(LogCleanupRemedy remedy, ChartRelease chart)
    {
        var section = remedy.Component switch
        {
            AirflowComponent.Scheduler => "scheduler",
            AirflowComponent.Worker => "workers",
            AirflowComponent.Triggerer => "triggerer",
            AirflowComponent.DagProcessor => "dagProcessor",
            _ => null,
        };
        return (chart.Family, section) switch
        {
            (ChartFamily.Official, { } key) => new ValuesFix(chart, [new ValuesChange($"{key}.logGroomerSidecar.enabled", JsonValue.Create(true))],
                "the chart's log-groomer sidecar deletes logs older than its retention from the logs volume"),
            (ChartFamily.Community, "scheduler" or "workers") => new ValuesFix(chart, [new ValuesChange($"{section}.logCleanup.enabled", JsonValue.Create(true))],
                "the chart's log-cleanup sidecar deletes logs older than its retention from the logs volume"),
            _ => None(chart, "this chart has no log-cleaning sidecar for the component: set an ephemeral-storage limit in its resources"),
        };
    }

    private static ValuesFix TaskIdentity(TaskIdentityRemedy remedy, ChartRelease chart)
    {
        // the official chart's pod_template_file runs as the workers' account
        var section = remedy.Component switch
        {
            AirflowComponent.Triggerer => "triggerer",
            _ => "workers",
        };
        return chart.Family == ChartFamily.Official && remedy.Value is { } value
            ? new ValuesFix(chart, [new ValuesChange($"{section}.serviceAccount.annotations", new JsonObject { [remedy.Annotation] = value })],
                $"{(section == "workers" ? "the workers and task pods run" : "the triggerer runs")} as an account with the identity of {remedy.FromAccount}")
            : None(chart, $"annotate the {remedy.Component.ToName()} pods' ServiceAccount with {remedy.Annotation} as {remedy.FromAccount} is");
    }

    // ---- logs: remote logging instead of the volume --------------------------------------------------------------

    private static ValuesFix RemoteLogging(RemoteLoggingRemedy remedy, ChartRelease chart)
    {
        var edits = new List<ListEdit>();
        var logsVolume = chart.Family switch
        {
            ChartFamily.Official => "logs",
            ChartFamily.Bitnami => "empty-dir", // Bitnami keeps the logs folder on a subPath of each pod's emptyDir
            _ => "logs-data",
        };
        var changes = new List<ValuesChange>();
        if (remedy.Volume is not null && remedy.Volume != logsVolume)
        {
            if (remedy.FolderSetting.StartsWith("env ", StringComparison.Ordinal))
            {
                // the folder was moved onto the user's volume by an env var of the values' env lists: without it the
                // logs stay in the chart's logs folder (the community chart sets the var itself from logs.path: no edit)
                edits.Add(new ListEdit(ListEditKind.RemoveEnv, remedy.FolderSetting[4..]));
            }
            edits.Add(new ListEdit(ListEditKind.RemoveVolume, remedy.Volume));
        }
        else if (remedy.Backing != BackingClass.EmptyDir && remedy.Backing != BackingClass.None)
        {
            // the chart's own logs claim: without it the chart mounts an emptyDir and remote logging keeps the logs
            changes.Add(new ValuesChange("logs.persistence.enabled", JsonValue.Create(false)));
        }
        var store = remedy.Store;
        if (chart.Family == ChartFamily.Official)
        {
            changes.Add(new ValuesChange("config.logging.remote_logging", JsonValue.Create("True")));
            changes.Add(new ValuesChange("config.logging.remote_base_log_folder", JsonValue.Create(store.PlaceholderFolder()), ValuesSite.RemoteBaseLogFolder));
            changes.Add(new ValuesChange("config.logging.remote_log_conn_id", JsonValue.Create(store.DefaultConnectionId()), ValuesSite.RemoteLogConnId));
            if (store == ObjectStore.AzureBlob)
            {
                changes.Add(new ValuesChange("config.azure_remote_logging.remote_wasb_log_container", JsonValue.Create("REPLACE-ME-container"), ValuesSite.WasbContainer));
            }
        }
        else if (chart.Family == ChartFamily.Bitnami)
        {
            // Bitnami merges overrideConfiguration over the airflow.cfg it generates (configuration would replace it whole)
            changes.Add(new ValuesChange("overrideConfiguration.logging.remote_logging", JsonValue.Create("True")));
            changes.Add(new ValuesChange("overrideConfiguration.logging.remote_base_log_folder", JsonValue.Create(store.PlaceholderFolder()), ValuesSite.RemoteBaseLogFolder));
            changes.Add(new ValuesChange("overrideConfiguration.logging.remote_log_conn_id", JsonValue.Create(store.DefaultConnectionId()), ValuesSite.RemoteLogConnId));
            if (store == ObjectStore.AzureBlob)
            {
                changes.Add(new ValuesChange("overrideConfiguration.azure_remote_logging.remote_wasb_log_container", JsonValue.Create("REPLACE-ME-container"), ValuesSite.WasbContainer));
            }
        }
        else
        {
            // the community and stable charts pass airflow.config as env vars; Airflow 1.10 (the stable chart's) reads [core]
            var section = chart.Family == ChartFamily.Stable || remedy.AirflowMajor == 1 ? "CORE" : "LOGGING";
            changes.Add(new ValuesChange($"airflow.config.AIRFLOW__{section}__REMOTE_LOGGING", JsonValue.Create("True")));
            changes.Add(new ValuesChange($"airflow.config.AIRFLOW__{section}__REMOTE_BASE_LOG_FOLDER", JsonValue.Create(store.PlaceholderFolder()), ValuesSite.RemoteBaseLogFolder));
            changes.Add(new ValuesChange($"airflow.config.AIRFLOW__{section}__REMOTE_LOG_CONN_ID", JsonValue.Create(store.DefaultConnectionId()), ValuesSite.RemoteLogConnId));
            if (store == ObjectStore.AzureBlob)
            {
                changes.Add(new ValuesChange("airflow.config.AIRFLOW__AZURE_REMOTE_LOGGING__REMOTE_WASB_LOG_CONTAINER", JsonValue.Create("REPLACE-ME-container"), ValuesSite.WasbContainer));
            }
        }
        var why = store == ObjectStore.None
            ? "remote logging keeps the logs after the pod"
            : $"Airflow writes the logs to {store.Title()} itself, instead of through the FUSE mount";
        return new ValuesFix(chart, changes, why) { ListEdits = edits };
    }

    // ---- DAGs: from git, not from a host directory ----------------------------------------------------------------------

    private static ValuesFix DagsFromGit(DagsFromGitRemedy remedy, ChartRelease chart)
    {
        var dagsVolume = chart.Family switch
        {
            ChartFamily.Official => "dags",
            ChartFamily.Community or ChartFamily.Stable => "dags-data",
            _ => null, // Bitnami makes no DAG claim: a host directory comes from the values' own volume lists
        };
        var changes = new List<ValuesChange>();
        var edits = new List<ListEdit>();
        if (remedy.Volume == dagsVolume)
        {
            changes.Add(new ValuesChange("dags.persistence.enabled", JsonValue.Create(false))); // the chart's claim, bound to a host directory
        }
        else if (remedy.Volume is not null)
        {
            edits.Add(new ListEdit(ListEditKind.RemoveVolume, remedy.Volume));
        }
        if (chart.Family == ChartFamily.Bitnami)
        {
            // Bitnami clones dags.repositories into each pod's own emptyDir (an init container and a sync sidecar)
            changes.Add(new ValuesChange("dags.enabled", JsonValue.Create(true)));
            changes.Add(new ValuesChange("dags.repositories", new JsonArray(new JsonObject
            {
                ["repository"] = "https://REPLACE-ME.example/dags.git",
                ["branch"] = "main",
                ["name"] = "dags",
            }), ValuesSite.GitRepo));
        }
        else if (chart.Family == ChartFamily.Stable)
        {
            // the stable chart's git-sync sidecar clones dags.git.url into each pod's own dags-data emptyDir
            changes.Add(new ValuesChange("dags.git.url", JsonValue.Create("https://REPLACE-ME.example/dags.git"), ValuesSite.GitRepo));
            changes.Add(new ValuesChange("dags.git.gitSync.enabled", JsonValue.Create(true)));
        }
        else
        {
            changes.Add(new ValuesChange("dags.gitSync.enabled", JsonValue.Create(true)));
            changes.Add(new ValuesChange("dags.gitSync.repo", JsonValue.Create("https://REPLACE-ME.example/dags.git"), ValuesSite.GitRepo));
        }
        return new ValuesFix(chart, changes, "every pod syncs the same DAGs from git instead of reading its node's directory") { ListEdits = edits };
    }

    // ---- secrets: from a Secret, not in plain text -----------------------------------------------------------------

    /// <summary>The official chart's own keys that take an option from a Secret (the Secret's key in brackets).</summary>
    private static readonly Dictionary<string, (string Key, string SecretKey)> OfficialSecretKeys = new(StringComparer.Ordinal)
    {
        ["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] = ("data.metadataSecretName", "connection"),
        ["AIRFLOW__CORE__SQL_ALCHEMY_CONN"] = ("data.metadataSecretName", "connection"),
        ["AIRFLOW__CELERY__BROKER_URL"] = ("data.brokerUrlSecretName", "connection"),
        ["AIRFLOW__CELERY__RESULT_BACKEND"] = ("data.resultBackendSecretName", "connection"),
        ["AIRFLOW__CORE__FERNET_KEY"] = ("fernetKeySecretName", "fernet-key"),
        ["AIRFLOW__WEBSERVER__SECRET_KEY"] = ("webserverSecretKeySecretName", "webserver-secret-key"),
    };

    private static ValuesFix Secret(SecretRemedy remedy, ChartRelease chart)
    {
        switch (chart.Family, remedy.Place)
        {
            case (ChartFamily.Official, SecretPlace.AirflowCfg) when remedy.Section is not null && remedy.Key is not null:
                // An overlay cannot take a key out of the user's values (helm keeps a null the chart's defaults do not
                // hold, and the official chart's schema refuses it), so the option is emptied in airflow.cfg and Airflow
                // takes it from the env var, which wins over airflow.cfg.
                var changes = new List<ValuesChange> { new($"config.{remedy.Section}.{remedy.Key}", JsonValue.Create("")) };
                if (OfficialSecretKeys.TryGetValue(remedy.Name, out var own))
                {
                    changes.Add(new ValuesChange(own.Key, JsonValue.Create($"REPLACE-ME-secret"), ValuesSite.SecretName));
                    return new ValuesFix(chart, changes, $"the chart sets {remedy.Name} from the Secret named by {own.Key} (key {own.SecretKey}), and the env var wins over airflow.cfg; [{remedy.Section}] {remedy.Key} is emptied in the airflow-config ConfigMap");
                }
                changes.Add(new ValuesChange("secret", SecretEntry("envName", remedy.Name), ValuesSite.SecretName));
                return new ValuesFix(chart, changes, $"{remedy.Name} comes from a Secret through the chart's `secret` list and wins over airflow.cfg, where [{remedy.Section}] {remedy.Key} is emptied");
            case (ChartFamily.Stable, SecretPlace.EnvFromConfigMap):
                // the chart writes airflow.fernetKey into its env ConfigMap itself (only when set); the rest comes from
                // airflow.config, emptied (an overlay cannot take a key out of the user's values) since env wins over envFrom
                var source = remedy.Name == "AIRFLOW__CORE__FERNET_KEY"
                    ? new ValuesChange("airflow.fernetKey", JsonValue.Create(""))
                    : new ValuesChange($"airflow.config.{remedy.Name}", JsonValue.Create(""));
                return new ValuesFix(chart, [source, new ValuesChange("airflow.extraEnv", SecretKeyRefEntry(remedy.Name), ValuesSite.SecretName)],
                    $"{source.Key} goes into a ConfigMap in plain text; {remedy.Name} comes from a Secret through airflow.extraEnv instead (a container's env wins over its envFrom)");
            case (ChartFamily.Official, SecretPlace.Env):
                // the official chart's env entries take a literal value only (its schema): its `secret` list is the way to a Secret
                return new ValuesFix(chart, [new ValuesChange("secret", SecretEntry("envName", remedy.Name), ValuesSite.SecretName)],
                    $"{remedy.Name} comes from a Secret through the chart's `secret` list instead of its literal entry in the values' env list")
                {
                    ListEdits = [new ListEdit(ListEditKind.RemoveEnv, remedy.Name)],
                };
            case (_, SecretPlace.Env):
                return new ValuesFix(chart, [], $"{remedy.Name} comes from a Secret instead of its literal entry in the values' env list")
                {
                    ListEdits = [new ListEdit(ListEditKind.EnvFromSecret, remedy.Name)],
                };
            default:
                return None(chart, $"{remedy.Name} is not set by one of the chart's keys");
        }
    }

    private static JsonArray SecretEntry(string nameKey, string name) =>
        new(new JsonObject { [nameKey] = name, ["secretName"] = "REPLACE-ME-secret", ["secretKey"] = name.ToLowerInvariant() });

    private static JsonArray SecretKeyRefEntry(string name) =>
        new(new JsonObject { ["name"] = name, ["valueFrom"] = new JsonObject { ["secretKeyRef"] = new JsonObject { ["name"] = "REPLACE-ME-secret", ["key"] = name.ToLowerInvariant() } } });

    // ---- claims written from several nodes ---------------------------------------------------------------------------

    private static ValuesFix SharedClaim(SharedClaimRemedy remedy, ChartRelease chart)
    {
        var (logs, dags, storageClass) = chart.Family switch
        {
            ChartFamily.Official => ("logs", "dags", "storageClassName"),
            ChartFamily.Community or ChartFamily.Stable => ("logs-data", "dags-data", "storageClass"),
            _ => ((string?)null, (string?)null, ""),
        };
        var what = remedy.Volume == logs ? "logs" : remedy.Volume == dags ? "dags" : null;
        if (what is null)
        {
            return None(chart, $"volume {remedy.Volume} is not the chart's logs or DAGs claim: change its claim where it is declared");
        }
        var changes = new List<ValuesChange>
        {
            new($"{what}.persistence.existingClaim", null),
            new($"{what}.persistence.{storageClass}", JsonValue.Create("REPLACE-ME-rwx-class"), ValuesSite.RwxStorageClass),
        };
        // the official chart's logs claim is always ReadWriteMany; its DAG claim and the community charts' claims take a mode
        if (!(chart.Family == ChartFamily.Official && what == "logs"))
        {
            changes.Insert(1, new ValuesChange($"{what}.persistence.accessMode", JsonValue.Create("ReadWriteMany")));
        }
        return new ValuesFix(chart, changes, $"the chart makes its own ReadWriteMany {what} claim on a StorageClass that shares one file system between nodes");
    }

    private static ValuesFix UnwrittenDagClaim(UnwrittenDagClaimRemedy remedy, ChartRelease chart)
    {
        var dagsVolume = chart.Family switch
        {
            ChartFamily.Official => "dags",
            ChartFamily.Community => "dags-data",
            _ => null,
        };
        if (remedy.Volume != dagsVolume)
        {
            return None(chart, $"volume {remedy.Volume} is not the chart's DAG claim: let one workload write it, or fill it from outside the release");
        }
        // without the claim every component runs its own git-sync into an emptyDir: no component is turned off
        return new ValuesFix(chart,
        [
            new ValuesChange("dags.persistence.enabled", JsonValue.Create(false)),
            new ValuesChange("dags.gitSync.enabled", JsonValue.Create(true)),
            new ValuesChange("dags.gitSync.repo", JsonValue.Create("https://REPLACE-ME.example/dags.git"), ValuesSite.GitRepo), // kept when your values name one
        ], "every pod syncs the DAGs itself with git-sync (your dags.gitSync settings), instead of reading a claim no pod of the release writes");
    }

    private static ValuesFix ReadOnlyDags(ReadOnlyDagsRemedy remedy, ChartRelease chart)
    {
        var dagsVolume = chart.Family == ChartFamily.Official ? "dags" : "dags-data";
        if (remedy.Volume == dagsVolume && chart.Family == ChartFamily.Official)
        {
            // the official chart mounts its DAG claim read-only wherever git-sync is on, with one git-sync writing it
            // (the scheduler's, or the dag-processor's)
            return new ValuesFix(chart,
            [
                new ValuesChange("dags.gitSync.enabled", JsonValue.Create(true)),
                new ValuesChange("dags.gitSync.repo", JsonValue.Create("https://REPLACE-ME.example/dags.git"), ValuesSite.GitRepo),
            ], "with git-sync on, the chart mounts its DAG claim read-only in workers and task pods, and one git-sync (the scheduler's or the dag-processor's) writes it");
        }
        if (remedy.Volume == dagsVolume)
        {
            return None(chart, "the chart mounts its own DAG claim read-write when git-sync is off, and has no key for it: add readOnly to the workers' mount with a post-renderer, or accept the warning");
        }
        return new ValuesFix(chart, [], "the DAG volume from the values' lists is mounted read-only; nothing of Airflow's writes DAGs")
        {
            ListEdits = [new ListEdit(ListEditKind.ReadOnlyMount, remedy.Volume)],
        };
    }

    private static ValuesFix DagsFolder(DagsFolderRemedy remedy, ChartRelease chart) => chart.Family switch
    {
        // the official chart writes [core] dags_folder into airflow.cfg from config; the community charts set it (and the mount) from dags.path
        ChartFamily.Official => new ValuesFix(chart, [new ValuesChange("config.core.dags_folder", JsonValue.Create(remedy.MountPath))],
            $"Airflow reads DAGs where the DAG volume is mounted ({remedy.MountPath})"),
        ChartFamily.Community or ChartFamily.Stable => new ValuesFix(chart, [new ValuesChange("dags.path", JsonValue.Create(remedy.MountPath))],
            $"the chart sets AIRFLOW__CORE__DAGS_FOLDER from dags.path: Airflow reads DAGs where the DAG volume is mounted ({remedy.MountPath})"),
        _ => None(chart, "Bitnami's chart mounts its DAG volume at the DAGs folder itself: the mismatch comes from a setting of yours"),
    };

    private static ValuesFix GitSyncIntoEachPod(GitSyncIntoEachPodRemedy remedy, ChartRelease chart)
    {
        var dagsVolume = chart.Family switch
        {
            ChartFamily.Official => "dags",
            ChartFamily.Community or ChartFamily.Stable => "dags-data",
            _ => null,
        };
        return remedy.Volume == dagsVolume
            ? new ValuesFix(chart, [new ValuesChange("dags.persistence.enabled", JsonValue.Create(false))],
                "without the shared claim every pod's git-sync writes its own emptyDir: one writer per volume")
            : None(chart, $"volume {remedy.Volume} is not the chart's DAG volume: let one workload sync into it and mount it read-only elsewhere");
    }

    private static ValuesFix SharedGroup(SharedGroupRemedy remedy, ChartRelease chart) => chart.Family == ChartFamily.Official
        // the official chart's pod_template_file takes the workers' security contexts
        ? new ValuesFix(chart,
        [
            new ValuesChange("workers.securityContexts.pod.runAsGroup", JsonValue.Create(remedy.Group)),
            new ValuesChange("workers.securityContexts.pod.fsGroup", JsonValue.Create(remedy.Group)),
        ], $"the workers and task pods run in group {remedy.Group}, the group of the other writers' log folders, which Airflow makes group-writable")
        : None(chart, $"give every writer of the logs claim group {remedy.Group} (runAsGroup or fsGroup) where its pods are defined");

    private static ValuesFix None(ChartRelease chart, string why) => new(chart, [], why);
}
