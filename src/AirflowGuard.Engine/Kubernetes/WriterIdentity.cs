using AirflowGuard.Engine.Airflow;

namespace AirflowGuard.Engine.Kubernetes;

/// <summary>
/// Who a container's processes write files as: its user, its primary group (the group new files get) and every group
/// it belongs to (the primary one, the pod's <c>fsGroup</c> and <c>supplementalGroups</c>). The container's
/// <c>securityContext</c> wins over the pod's; without either, the image's own user where the image is one whose user is
/// known (apache/airflow runs as 50000, group 0; Bitnami's as 1001, group 0).
/// </summary>
internal sealed record WriterIdentity(long User, long Group, IReadOnlyList<long> Groups)
{
    public static WriterIdentity? Of(PodView pod, ContainerView container)
    {
        var image = ImageDefault(container.Image);
        if ((container.RunAsUser ?? pod.Security.RunAsUser ?? image?.User) is not { } user)
        {
            return null;
        }
        var group = container.RunAsGroup ?? pod.Security.RunAsGroup ?? image?.Group ?? 0; // the kubelet starts a process without a group as group 0
        var groups = new List<long> { group };
        if (pod.Security.FsGroup is { } fsGroup && !groups.Contains(fsGroup))
        {
            groups.Add(fsGroup);
        }
        foreach (var supplemental in pod.Security.SupplementalGroups)
        {
            if (!groups.Contains(supplemental))
            {
                groups.Add(supplemental);
            }
        }
        return new WriterIdentity(user, group, groups);
    }

    /// <summary>True when files this identity creates in a group-writable folder can be written by <paramref name="other"/>, and the other way round.</summary>
    public bool SharesFilesWith(WriterIdentity other) =>
        User == other.User || (other.Groups.Contains(Group) && Groups.Contains(other.Group));

    public bool Equals(WriterIdentity? other) =>
        other is not null && User == other.User && Group == other.Group && Groups.SequenceEqual(other.Groups);

    public override int GetHashCode() => HashCode.Combine(User, Group, Groups.Count);

    public string Describe() =>
        Groups.Count == 1 ? $"{User}:{Group}" : $"{User}:{Group} (groups {string.Join(",", Groups)})";

    private static (long User, long Group)? ImageDefault(string? image)
    {
        var repository = ContainerClassifier.ImageRepository(image);
        var slash = repository.LastIndexOf('/');
        var name = slash < 0 ? repository : repository[(slash + 1)..];
        if (!name.Equals("airflow", StringComparison.OrdinalIgnoreCase))
        {
            return null; // a custom image may run as anyone
        }
        return repository.Contains("bitnami", StringComparison.OrdinalIgnoreCase) ? (1001, 0) : (50000, 0);
    }
}
