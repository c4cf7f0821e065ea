using System.Buffers;
using System.Runtime.CompilerServices;
using AirflowGuard.Engine.Kubernetes;

namespace AirflowGuard.Engine.Airflow;

/// <summary>Tells Airflow containers from git-sync and other sidecars.</summary>
public static class ContainerClassifier
{
    // container names and images repeat on every pod of a workload: answers are remembered (TextSearch)
    private const int Remembered = 1024;

    /// <summary>Name fragments of sidecars that are neither Airflow nor git-sync.</summary>
    private static readonly TextSearch SidecarNameFragments = Fragments(
    [
        "istio-proxy", "linkerd-proxy", "envoy", "cloud-sql-proxy", "cloudsql-proxy", "fluent-bit", "fluentbit", "fluentd",
        "vector", "promtail", "filebeat", "otel-collector", "log-groomer", "xcom-sidecar", "gke-gcsfuse-sidecar", "statsd",
    ]);

    private static readonly TextSearch SidecarImageFragments = Fragments(
    [
        "istio/proxy", "linkerd", "envoyproxy", "cloud-sql-proxy", "cloudsql-proxy", "fluent-bit", "fluentd", "timberio/vector",
        "grafana/promtail", "elastic/filebeat", "otel/opentelemetry-collector", "gcs-fuse-csi-driver-sidecar",
    ]);

    private static readonly TextSearch GitSyncFragments = Fragments(
        ["git-sync", "gitsync", "git-clone", "sync-repositories", "clone-repositories"]);

    private static TextSearch Fragments(string[] fragments) =>
        new(SearchValues.Create(fragments, StringComparison.OrdinalIgnoreCase), Remembered);

    private static readonly string[] AirflowContainerNames =
        ["base", "scheduler", "webserver", "api-server", "worker", "triggerer", "dag-processor", "airflow"];

    public static ContainerRole Classify(ContainerView container, RecognitionRules rules)
    {
        var image = ImageRepository(container.Image);
        if (Glob.AnyMatch(rules.GitSyncImages, image) || IsGitSync(container, image))
        {
            return ContainerRole.GitSync;
        }
        if (Glob.AnyMatch(rules.SidecarNames, container.Name) || Glob.AnyMatch(rules.SidecarImages, image))
        {
            return ContainerRole.Sidecar;
        }
        if (Glob.AnyMatch(rules.AirflowContainerNames, container.Name) || Glob.AnyMatch(rules.AirflowImages, image))
        {
            return ContainerRole.Airflow;
        }
        if (SidecarNameFragments.ContainsAny(container.Name) || SidecarImageFragments.ContainsAny(image))
        {
            return ContainerRole.Sidecar;
        }
        if (LooksLikeAirflowImage(container.Image) || Array.IndexOf(AirflowContainerNames, container.Name) >= 0 ||
            HasAirflowWord(container.Name) || HasAirflowSettings(container))
        {
            return ContainerRole.Airflow;
        }
        return ContainerRole.Sidecar;
    }

    /// <summary>
    /// An image whose repository has "airflow" as a word: apache/airflow, bitnami/airflow-worker,
    /// acme/etl-airflow, registry/airflow/custom. Not "airflowguard" or "airflow2x".
    /// </summary>
    public static bool LooksLikeAirflowImage(string? image) =>
        image is not null && HasAirflowWord(ImageRepository(image));

    private static bool HasAirflowWord(string text)
    {
        foreach (var range in text.AsSpan().SplitAny("/-_."))
        {
            if (text.AsSpan(range).Equals("airflow", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The image without its tag or digest: "registry.k8s.io/git-sync/git-sync".</summary>
    public static string ImageRepository(string? image)
    {
        if (string.IsNullOrEmpty(image))
        {
            return "";
        }
        // images come from the text pool as the same string on every pod of a workload: the repository cut
        // from one is remembered, so the fragment searches see the same string (and answer from memory) too;
        // an image longer than the pool keeps (pinned by digest) is a new string every time: cut, not remembered
        if (image.Length > TextPool.MaxBytes)
        {
            return RepositoryOf(image);
        }
        var slot = RuntimeHelpers.GetHashCode(image) & (Remembered - 1);
        if (Volatile.Read(ref Repositories[slot]) is { } seen && ReferenceEquals(seen.Image, image))
        {
            return seen.Repository;
        }
        var repository = RepositoryOf(image);
        Volatile.Write(ref Repositories[slot], new ImageAndRepository(image, repository));
        return repository;
    }

    private static string RepositoryOf(string image)
    {
        var at = image.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            image = image[..at];
        }
        var colon = image.LastIndexOf(':');
        return colon > image.LastIndexOf('/') ? image[..colon] : image;
    }

    private sealed record ImageAndRepository(string Image, string Repository);

    private static readonly ImageAndRepository?[] Repositories = new ImageAndRepository?[Remembered];

    private static bool IsGitSync(ContainerView container, string image)
    {
        if (GitSyncFragments.ContainsAny(image) || GitSyncFragments.ContainsAny(container.Name))
        {
            return true;
        }
        foreach (var env in container.Env.AsReadOnlySpan())
        {
            // the first letter first: an Airflow container's dozens of names are rarely a G
            if (env.Name.StartsWith('G') && (env.Name.StartsWith("GIT_SYNC_", StringComparison.Ordinal) || env.Name.StartsWith("GITSYNC_", StringComparison.Ordinal)))
            {
                return true;
            }
        }
        return false;
    }

    private static bool HasAirflowSettings(ContainerView container)
    {
        foreach (var env in container.Env.AsReadOnlySpan())
        {
            if (env.Name.StartsWith("AIRFLOW__", StringComparison.Ordinal) || env.Name is "AIRFLOW_HOME" or "AIRFLOW_IS_K8S_EXECUTOR_POD")
            {
                return true;
            }
        }
        return false;
    }
}
