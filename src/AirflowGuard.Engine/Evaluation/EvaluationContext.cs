using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Storage;

namespace AirflowGuard.Engine.Evaluation;

/// <summary>
/// Everything rules and mutations ask about one pod, worked out lazily and at most once per
/// evaluation: container roles, effective settings, and what backs each volume.
/// </summary>
internal sealed class EvaluationContext
{
    private readonly ContainerRole[] _roles;
    private readonly ContainerRole[] _initRoles;
    private readonly EffectiveAirflowSettings?[] _settings;
    private EffectiveAirflowSettings?[]? _initSettings;
    private readonly VolumeBacking?[] _backings;

    internal EvaluationContext(PodView pod, Recognition recognition, IClusterState cluster, DriverCatalog drivers, RecognitionRules rules,
        JsonSource? raw = null, Expressions.ExpressionRequest? request = null)
    {
        _raw = raw;
        _request = request;
        _rules = rules;
        Pod = pod;
        Recognition = recognition;
        Cluster = cluster;
        Drivers = drivers;
        Namespace = pod.Metadata.Namespace ?? "default";
        _roles = new ContainerRole[pod.Containers.Count];
        for (var i = 0; i < _roles.Length; i++)
        {
            _roles[i] = ContainerClassifier.Classify(pod.Containers[i], rules);
        }
        _initRoles = new ContainerRole[pod.InitContainers.Count];
        for (var i = 0; i < _initRoles.Length; i++)
        {
            _initRoles[i] = ContainerClassifier.Classify(pod.InitContainers[i], rules);
        }
        EnsureAnAirflowContainer();
        _settings = new EffectiveAirflowSettings?[pod.Containers.Count];
        _backings = new VolumeBacking?[pod.Volumes.Count];
    }

    public PodView Pod { get; }

    private readonly RecognitionRules _rules;
    private readonly JsonSource? _raw;
    private readonly Expressions.ExpressionRequest? _request;

    /// <summary>What expression rules evaluate against (built on first use: pods checked by built-in rules only never pay for it).</summary>
    public Expressions.ExpressionVariables Variables =>
        field ??= new Expressions.ExpressionVariables(_raw, _request ?? Expressions.ExpressionRequest.Create(Pod.Metadata.Namespace), () => Expressions.AirflowView.Of(this));
    public Recognition Recognition { get; }
    public AirflowComponent Component => Recognition.Component;
    public IClusterState Cluster { get; }
    public DriverCatalog Drivers { get; }
    public string Namespace { get; }

    /// <summary>A name for the workload the pod belongs to, used to tell writers apart across pods.</summary>
    public string WorkloadIdentity => $"{Pod.SourceKind}/{Pod.SourceName ?? Pod.Metadata.Name ?? Pod.Metadata.GenerateName ?? "?"}";

    private FewNames _gitSyncVolumes;
    private bool _gitSyncVolumesRead;

    /// <summary>Whether some git-sync container of the pod mounts the volume <paramref name="volumeName"/> (the names gathered once per evaluation).</summary>
    public bool IsGitSyncVolume(string volumeName)
    {
        if (!_gitSyncVolumesRead)
        {
            foreach (var container in Pod.AllContainers)
            {
                if (RoleOf(container) == ContainerRole.GitSync)
                {
                    foreach (var mount in container.Mounts.AsReadOnlySpan())
                    {
                        _gitSyncVolumes.Add(mount.Name);
                    }
                }
            }
            _gitSyncVolumesRead = true;
        }
        return _gitSyncVolumes.Contains(volumeName);
    }

    /// <summary>The other long-running Airflow workloads of the release (not of this pod's own component), read once per evaluation; empty when out of view.</summary>
    public IReadOnlyList<AirflowPeer> Peers => field ??= OtherComponents(Cluster.Release(Namespace));

    private static readonly List<AirflowPeer> NoPeers = [];

    private List<AirflowPeer> OtherComponents(ReleaseView? release)
    {
        List<AirflowPeer>? others = null;
        foreach (var peer in release?.Peers ?? [])
        {
            if (peer.Component != Component)
            {
                (others ??= []).Add(peer);
            }
        }
        return others ?? NoPeers; // shared and never changed: most pods have no other component in view
    }

    private List<(AirflowPeer Peer, EvaluationContext Context)>? _peerContexts;

    /// <summary>How the rules see <paramref name="peer"/>: its containers' roles and settings, against the same cluster (made once per evaluation).</summary>
    public EvaluationContext Of(AirflowPeer peer)
    {
        foreach (var (known, context) in _peerContexts ??= [])
        {
            if (ReferenceEquals(known, peer))
            {
                return context;
            }
        }
        var made = new EvaluationContext(peer.Pod, new Recognition(peer.Component, "a workload of the release"), Cluster, Drivers, _rules);
        _peerContexts.Add((peer, made));
        return made;
    }

    /// <summary>
    /// At admission, with the running workloads of the cluster in view (a release view that is not complete): each claim
    /// this pod mounts that a running workload of another component mounts too, as the two use it, for the release-wide
    /// rules. Empty in <c>check</c>, which runs those rules over the whole bundle once.
    /// </summary>
    public IReadOnlyList<ClaimUsage> LiveClaimUsages
    {
        get
        {
            if (field is not null)
            {
                return field;
            }
            if (Cluster.Release(Namespace) is not { Complete: false } || Peers.Count == 0)
            {
                return field = [];
            }
            var here = new ManifestLocation("the object admitted", 0);
            var ours = ClaimUse.AllOf(Pod, Pod.DisplayName, here, () => null).ToList();
            var usages = new List<ClaimUsage>();
            foreach (var claim in ours.Select(u => u.Claim).Distinct(StringComparer.Ordinal))
            {
                var uses = new ClaimUses(here);
                foreach (var peer in Peers)
                {
                    foreach (var (peerClaim, use) in ClaimUse.AllOf(peer.Pod, peer.Workload, new ManifestLocation("the cluster", 0), () => null))
                    {
                        if (peerClaim == claim)
                        {
                            uses.Add(use);
                        }
                    }
                }
                if (uses.Writers.Count == 0 && uses.DagWorkloads.Count == 0 && uses.LogWriters.Count == 0)
                {
                    continue; // no running workload of another component mounts it: nothing to compare
                }
                foreach (var (ownClaim, use) in ours)
                {
                    if (ownClaim == claim)
                    {
                        uses.Add(use);
                    }
                }
                var declared = Cluster.GetClaim(Namespace, claim) is { IsFound: true, Value: { } found } ? found : null;
                usages.Add(new ClaimUsage(Namespace, claim, declared, null, uses)
                {
                    BoundToHostDirectory = declared is not null &&
                        (declared.VolumeName is { Length: > 0 } volumeName ? Cluster.GetPersistentVolume(volumeName) : Cluster.FindVolumeFor(declared))
                        is { IsFound: true, Value.Source.Kind: VolumeSourceKind.HostPath },
                });
            }
            return field = usages;
        }
    }

    /// <summary>The settings of the first container that runs Airflow, or null when none does.</summary>
    public (ContainerView Container, EffectiveAirflowSettings Settings)? MainSettings =>
        AirflowContainers.Count == 0 ? null : (AirflowContainers[0], SettingsOf(AirflowContainers[0]));

    public ContainerRole RoleOf(ContainerView container) => container.IsInit ? _initRoles[container.Index] : _roles[container.Index];

    /// <summary>The regular containers that run Airflow (worked out once).</summary>
    public IReadOnlyList<ContainerView> AirflowContainers
    {
        get
        {
            if (field is null)
            {
                var list = new List<ContainerView>(1);
                for (var i = 0; i < _roles.Length; i++)
                {
                    if (_roles[i] == ContainerRole.Airflow)
                    {
                        list.Add(Pod.Containers[i]);
                    }
                }
                field = list;
            }
            return field;
        }
    }

    public EffectiveAirflowSettings SettingsOf(ContainerView container)
    {
        return container.IsInit
            ? (_initSettings ??= new EffectiveAirflowSettings?[Pod.InitContainers.Count])[container.Index] ??= SettingsResolver.Resolve(Pod, container, Cluster)
            : _settings[container.Index] ??= SettingsResolver.Resolve(Pod, container, Cluster);
    }

    public VolumeBacking BackingOf(VolumeView volume) =>
        _backings[volume.Index] ??= BackingResolver.Resolve(volume, Namespace, Cluster, Drivers);

    /// <summary>
    /// What holds <paramref name="path"/> in <paramref name="container"/>: the covering mount, its volume and backing. The path is
    /// normal, as the settings' folders and the mounts' paths are (<see cref="PathText.Normalize"/>).
    /// </summary>
    public PathBacking BackingAt(ContainerView container, string path)
    {
        var mount = container.MountCoveringNormal(path);
        if (mount is null)
        {
            return new PathBacking(path, null, null, VolumeBacking.NoVolume);
        }
        var volume = Pod.FindVolume(mount.Name);
        return volume is null
            ? new PathBacking(path, mount, null, new VolumeBacking(BackingClass.Unknown, $"volume {mount.Name} is not declared in the pod") { UnknownReason = $"volume {mount.Name} is not declared" })
            : new PathBacking(path, mount, volume, BackingOf(volume));
    }

    /// <summary>
    /// In a pod recognised as Airflow whose containers all look like sidecars by name and image
    /// (custom images, custom names), the first non-git-sync container is the Airflow one.
    /// </summary>
    private void EnsureAnAirflowContainer()
    {
        if (!Recognition.IsAirflow || Array.IndexOf(_roles, ContainerRole.Airflow) >= 0)
        {
            return;
        }
        var first = Array.IndexOf(_roles, ContainerRole.Sidecar);
        if (first >= 0 && Pod.Containers.Count > 0)
        {
            _roles[first] = ContainerRole.Airflow;
        }
    }
}
