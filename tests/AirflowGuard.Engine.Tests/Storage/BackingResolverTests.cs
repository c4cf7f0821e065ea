using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Storage;
using AirflowGuard.Engine.Tests.Support;

namespace AirflowGuard.Engine.Tests;

/// <summary>What really backs a volume: inline sources, CSI drivers by catalogue, claims through PV and StorageClass.</summary>
public class BackingResolverTests
{
    private const string Storage = """
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata: { name: efs-sc }
        provisioner: efs.csi.aws.com
        ---
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata:
          name: gp3
          annotations: { storageclass.kubernetes.io/is-default-class: "true" }
        provisioner: ebs.csi.aws.com
        ---
        apiVersion: v1
        kind: PersistentVolume
        metadata: { name: oss-logs-pv }
        spec:
          capacity: { storage: 10Gi }
          accessModes: [ReadWriteMany]
          csi: { driver: ossplugin.csi.alibabacloud.com, volumeHandle: logs, volumeAttributes: { bucket: logs } }
        ---
        apiVersion: v1
        kind: PersistentVolume
        metadata: { name: nas-pv }
        spec:
          capacity: { storage: 10Gi }
          accessModes: [ReadWriteMany]
          csi: { driver: nasplugin.csi.alibabacloud.com, volumeHandle: nas }
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: { name: bound-to-oss, namespace: airflow }
        spec: { accessModes: [ReadWriteMany], volumeName: oss-logs-pv, storageClassName: "" }
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: { name: bound-to-nas, namespace: airflow }
        spec: { accessModes: [ReadWriteMany], volumeName: nas-pv, storageClassName: "" }
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: { name: by-class, namespace: airflow }
        spec: { accessModes: [ReadWriteMany], storageClassName: efs-sc }
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: { name: by-default-class, namespace: airflow }
        spec: { accessModes: [ReadWriteOnce] }
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: { name: unknown-class, namespace: airflow }
        spec: { accessModes: [ReadWriteOnce], storageClassName: nobody-knows }
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: { name: longhorn-rwx, namespace: airflow }
        spec: { accessModes: [ReadWriteMany], storageClassName: longhorn }
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: { name: longhorn-rwo, namespace: airflow }
        spec: { accessModes: [ReadWriteOnce], storageClassName: longhorn }
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: { name: nfs-client-rwx, namespace: airflow }
        spec: { accessModes: [ReadWriteMany], storageClassName: nfs-client }
        """;

    [Theory]
    [InlineData("emptyDir: {}", BackingClass.EmptyDir)]
    [InlineData("emptyDir: { medium: Memory }", BackingClass.EmptyDir)]
    [InlineData("hostPath: { path: /data/dags }", BackingClass.HostPath)]
    [InlineData("configMap: { name: c }", BackingClass.Config)]
    [InlineData("secret: { secretName: s }", BackingClass.Config)]
    [InlineData("projected: { sources: [] }", BackingClass.Config)]
    [InlineData("nfs: { server: nfs.example.com, path: /exports/dags }", BackingClass.SharedFilesystem)]
    [InlineData("csi: { driver: ossplugin.csi.alibabacloud.com, volumeAttributes: { bucket: b } }", BackingClass.ObjectStorageFuse)]
    [InlineData("csi: { driver: gcsfuse.csi.storage.gke.io, volumeAttributes: { bucketName: b } }", BackingClass.ObjectStorageFuse)]
    [InlineData("csi: { driver: s3.csi.aws.com, volumeAttributes: { bucketName: b } }", BackingClass.ObjectStorageFuse)]
    [InlineData("csi: { driver: blob.csi.azure.com, volumeAttributes: { containerName: c } }", BackingClass.ObjectStorageFuse)]
    [InlineData("csi: { driver: efs.csi.aws.com, volumeHandle: fs-1 }", BackingClass.SharedFilesystem)]
    [InlineData("csi: { driver: unheard-of.example.com }", BackingClass.Unknown)]
    [InlineData("persistentVolumeClaim: { claimName: bound-to-oss }", BackingClass.ObjectStorageFuse)]
    [InlineData("persistentVolumeClaim: { claimName: bound-to-nas }", BackingClass.SharedFilesystem)]
    [InlineData("persistentVolumeClaim: { claimName: by-class }", BackingClass.SharedFilesystem)]
    [InlineData("persistentVolumeClaim: { claimName: by-default-class }", BackingClass.Block)]
    [InlineData("persistentVolumeClaim: { claimName: unknown-class }", BackingClass.Unknown)]
    [InlineData("persistentVolumeClaim: { claimName: not-in-the-bundle }", BackingClass.Unknown)]
    [InlineData("ephemeral: { volumeClaimTemplate: { spec: { accessModes: [ReadWriteOnce], storageClassName: gp3 } } }", BackingClass.EmptyDir)]
    public void Volume_ResolvesToItsBacking(string source, BackingClass expected)
    {
        var (volume, cluster) = VolumeWith(source);

        var backing = BackingResolver.Resolve(volume, "airflow", cluster, Packs.Default.Drivers);

        Assert.Equal(expected, backing.Class);
        if (expected == BackingClass.Unknown)
        {
            Assert.False(string.IsNullOrEmpty(backing.UnknownReason), "an unknown backing must say why");
        }
    }

    [Theory]
    [InlineData("longhorn-rwx", BackingClass.SharedFilesystem, "Longhorn")] // a ReadWriteMany Longhorn volume is served over NFS
    [InlineData("longhorn-rwo", BackingClass.Block, "Longhorn")]
    [InlineData("nfs-client-rwx", BackingClass.SharedFilesystem, "nfs-subdir-external-provisioner")]
    public void AClaimNamingAProvisionersOwnClass_NotInView_IsTakenToUseThatProvisioner_AsAnAssumption(string claim, BackingClass expected, string provisioner)
    {
        var (volume, cluster) = VolumeWith($"persistentVolumeClaim: {{ claimName: {claim} }}");

        var backing = BackingResolver.Resolve(volume, "airflow", cluster, Packs.Default.Drivers);

        Assert.Equal(expected, backing.Class);
        Assert.Contains("is not in view", backing.Assumption, StringComparison.Ordinal);
        Assert.Contains(provisioner, backing.Assumption, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void UnresolvedClaim_SaysWhichClaimIsMissing()
    {
        var (volume, cluster) = VolumeWith("persistentVolumeClaim: { claimName: not-in-the-bundle }");

        var backing = BackingResolver.Resolve(volume, "airflow", cluster, Packs.Default.Drivers);

        Assert.Contains("not-in-the-bundle", backing.UnknownReason, StringComparison.Ordinal);
    }

    [Fact]
    public void UserCatalogue_OverridesTheBuiltInOne()
    {
        var (volume, cluster) = VolumeWith("csi: { driver: s3fs.csi.example.com }");

        Assert.Equal(BackingClass.Unknown, BackingResolver.Resolve(volume, "airflow", cluster, Packs.Default.Drivers).Class);
        Assert.Equal(BackingClass.ObjectStorageFuse, BackingResolver.Resolve(volume, "airflow", cluster, Packs.Examples.Drivers).Class);
    }

    private static (VolumeView Volume, IClusterState Cluster) VolumeWith(string source)
    {
        var bundle = Bundle.FromText("pod.yaml", Storage + $$"""

            ---
            apiVersion: v1
            kind: Pod
            metadata: { name: p, namespace: airflow }
            spec:
              containers: [{ name: c, image: busybox }]
              volumes:
                - name: v
                  {{source}}
            """);
        return (bundle.Pod("Pod", "p").Volumes[0], bundle.Cluster);
    }
}
