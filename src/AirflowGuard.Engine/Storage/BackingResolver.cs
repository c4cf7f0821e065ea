using AirflowGuard.Engine.Kubernetes;

namespace AirflowGuard.Engine.Storage;

/// <summary>
/// Follows a pod volume to the storage behind it: inline sources directly, claims through
/// <see cref="IClusterState"/> (PVC → PV → StorageClass → driver). What cannot be resolved is
/// <see cref="BackingClass.Unknown"/> with the reason; it is never guessed.
/// </summary>
public static class BackingResolver
{
    public static VolumeBacking Resolve(VolumeView volume, string @namespace, IClusterState cluster, DriverCatalog catalog)
    {
        var source = volume.Source;
        switch (source.Kind)
        {
            case VolumeSourceKind.PersistentVolumeClaim:
                return ResolveClaim(source.Reference ?? "", @namespace, cluster, catalog);
            case VolumeSourceKind.Ephemeral:
                var template = source.ClaimTemplate;
                var ephemeral = FromStorageClass(template?.StorageClassName, cluster, catalog, $"generic ephemeral volume {volume.Name}");
                // a generic ephemeral volume is deleted with its pod, whatever stores it
                return ephemeral.Class is BackingClass.Unknown
                    ? ephemeral
                    : ephemeral with { Class = BackingClass.EmptyDir, AccessModes = template?.AccessModes ?? AccessModes.None };
            case VolumeSourceKind.ClaimTemplate:
                var claimTemplate = source.ClaimTemplate;
                var perReplica = FromStorageClass(claimTemplate?.StorageClassName, cluster, catalog, $"volumeClaimTemplate {volume.Name}");
                return perReplica with { AccessModes = claimTemplate?.AccessModes ?? AccessModes.None, Claim = source.Reference };
            default:
                return FromSource(source, catalog, "volume", volume.Name);
        }
    }

    /// <summary>The backing of a PersistentVolume object.</summary>
    public static VolumeBacking ResolvePersistentVolume(PersistentVolumeInfo volume, IClusterState cluster, DriverCatalog catalog)
    {
        var backing = FromSource(volume.Source, catalog, "PersistentVolume", volume.Name);
        if (backing.Class == BackingClass.Unknown && volume.StorageClassName is { Length: > 0 } className)
        {
            backing = FromStorageClass(className, cluster, catalog, $"PersistentVolume {volume.Name}");
        }
        return backing with { PersistentVolume = volume.Name, AccessModes = volume.AccessModes };
    }

    private static VolumeBacking ResolveClaim(string claimName, string @namespace, IClusterState cluster, DriverCatalog catalog)
    {
        var claim = cluster.GetClaim(@namespace, claimName);
        if (!claim.IsFound)
        {
            return Unknown($"claim {claimName} could not be resolved ({claim.Reason})") with { Claim = claimName };
        }
        var info = claim.Value!;
        VolumeBacking backing;
        string? description = null; // "claim X → …" when the claim's volume was followed
        if (info.VolumeName is { Length: > 0 } volumeName && cluster.GetPersistentVolume(volumeName) is { IsFound: true } pv)
        {
            backing = ResolvePersistentVolume(pv.Value!, cluster, catalog);
            description = $"claim {claimName} → {backing.Description}";
        }
        else if (info.VolumeName is null && cluster.FindVolumeFor(info) is { IsFound: true } matched)
        {
            // bound the way the PV controller binds: pre-bound by claimRef, or by selector, class, modes and size
            var how = matched.Value!.ClaimName is not null ? "pre-bound by its claimRef" : info.Selector is not null ? $"matched by selector {info.Selector}" : "matched by class and size";
            backing = ResolvePersistentVolume(matched.Value!, cluster, catalog);
            description = $"claim {claimName} → {backing.Description} ({how})";
        }
        else if (info.Selector is not null && info.VolumeName is null)
        {
            // a claim with a selector binds only to an existing volume: it is never provisioned dynamically
            backing = Unknown($"claim {claimName} selects its volume by labels ({info.Selector}), and no PersistentVolume in view matches");
        }
        else if (info.StorageClassName == "" && info.VolumeName is null)
        {
            backing = Unknown($"claim {claimName} has storageClassName \"\" and no bound volume in view");
        }
        else
        {
            backing = FromStorageClass(info.StorageClassName, cluster, catalog, $"claim {claimName}");
            if (backing.Class != BackingClass.Unknown)
            {
                description = $"claim {claimName} → {backing.Description}";
            }
        }
        // a ReadWriteMany volume the driver serves another way (Longhorn: NFS)
        var shared = (info.AccessModes & AccessModes.ReadWriteMany) != 0 ? backing.DriverInfo?.ReadWriteManyClass : null;
        // the claim's access modes are what the pods are granted; one copy of the backing with all of it
        return backing with
        {
            Class = shared ?? backing.Class,
            Description = description ?? backing.Description,
            Claim = claimName,
            AccessModes = info.AccessModes != AccessModes.None ? info.AccessModes : backing.AccessModes,
        };
    }

    private static VolumeBacking FromStorageClass(string? className, IClusterState cluster, DriverCatalog catalog, string what)
    {
        var storageClass = cluster.GetStorageClass(className);
        if (className is null && storageClass.Status == LookupStatus.Unknown)
        {
            // the chart leaves storageClassName out (logs volumeClaimTemplates, persistence claims): the
            // cluster's default class, which on managed clusters provisions a block disk per claim
            var assumption = $"the cluster's default StorageClass is not in view ({storageClass.Reason}); assumed to provision block disks, as the defaults of managed clusters do";
            return new VolumeBacking(BackingClass.Block, $"{what}: the default StorageClass (assumed block storage)") { Assumption = assumption };
        }
        if (!storageClass.IsFound)
        {
            var name = className ?? "(default)";
            if (storageClass.Status == LookupStatus.Unknown && catalog.ByDefaultClassName(className) is { } installed)
            {
                // users' values name the class their cluster's provisioner created (longhorn, nfs-client, local-path)
                return new VolumeBacking(installed.Class, $"{what}: StorageClass {name} (assumed {installed.Title}'s own class)")
                {
                    Driver = installed.Driver,
                    DriverInfo = installed,
                    Assumption = $"StorageClass {name} is not in view ({storageClass.Reason}); taken to be the class {installed.Title} creates ({installed.Driver})",
                };
            }
            return Unknown($"{what}: StorageClass {name} could not be resolved ({storageClass.Reason})");
        }
        var sc = storageClass.Value!;
        var driver = catalog.Find(sc.Provisioner) ?? DriverCatalog.Judge(sc.Provisioner);
        if (driver is null)
        {
            return Unknown($"{what}: provisioner {sc.Provisioner} of StorageClass {sc.Name} is not in the driver catalogue") with { Driver = sc.Provisioner };
        }
        return new VolumeBacking(driver.ClassFor(sc.Parameters), $"StorageClass {sc.Name} ({driver.Title})") { Driver = sc.Provisioner, DriverInfo = driver };
    }

    private static readonly VolumeBacking EmptyDir = new(BackingClass.EmptyDir, "emptyDir");
    private static readonly VolumeBacking Projected = new(BackingClass.Config, "projected");

    /// <summary>What backs a volume source; <paramref name="kind"/> and <paramref name="name"/> ("volume logs") name it in reasons, built only when one is given.</summary>
    private static VolumeBacking FromSource(VolumeSource source, DriverCatalog catalog, string kind, string name) => source.Kind switch
    {
        VolumeSourceKind.EmptyDir => EmptyDir,
        VolumeSourceKind.HostPath => new VolumeBacking(BackingClass.HostPath, $"hostPath {source.Reference}"),
        VolumeSourceKind.ConfigMap => new VolumeBacking(BackingClass.Config, $"ConfigMap {source.Reference}"),
        VolumeSourceKind.Secret => new VolumeBacking(BackingClass.Config, $"Secret {source.Reference}"),
        VolumeSourceKind.Projected or VolumeSourceKind.DownwardApi => Projected,
        VolumeSourceKind.Nfs => new VolumeBacking(BackingClass.SharedFilesystem, $"NFS {source.Reference}"),
        VolumeSourceKind.Csi => FromDriver(source, catalog, $"{kind} {name}"),
        VolumeSourceKind.Other => FromInTree(source.OtherType, $"{kind} {name}"),
        _ => Unknown($"{kind} {name}: {source.Kind} source"),
    };

    private static VolumeBacking FromDriver(VolumeSource source, DriverCatalog catalog, string what)
    {
        var driver = catalog.Find(source.Driver) ?? DriverCatalog.Judge(source.Driver);
        return driver is null
            ? Unknown($"{what}: CSI driver {source.Driver} is not in the driver catalogue") with { Driver = source.Driver }
            : new VolumeBacking(driver.ClassFor(source.Attributes), $"CSI {driver.Title}") { Driver = source.Driver, DriverInfo = driver };
    }

    private static VolumeBacking FromInTree(string? type, string what) => type switch
    {
        "awsElasticBlockStore" or "gcePersistentDisk" or "azureDisk" or "cinder" or "rbd" or "iscsi" or "fc" or "portworxVolume" or "vsphereVolume" =>
            new VolumeBacking(BackingClass.Block, $"in-tree {type}"),
        "azureFile" or "cephfs" or "glusterfs" or "quobyte" =>
            new VolumeBacking(BackingClass.SharedFilesystem, $"in-tree {type}"),
        _ => Unknown($"{what}: {type} volumes are not classified"),
    };

    private static VolumeBacking Unknown(string reason) => new(BackingClass.Unknown, reason) { UnknownReason = reason };
}
