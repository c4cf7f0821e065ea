using AirflowGuard.Engine.Tests.Support;
using static AirflowGuard.Engine.Tests.Support.MutationFixtures;

namespace AirflowGuard.Engine.Tests;

/// <summary>fuseMountOptions: uid, gid and umask in each FUSE driver's own syntax, on inline volumes and PersistentVolumes, never changing an owner's choice.</summary>
public class FuseMountOptionsMutationTests
{
    [Fact]
    public void FuseMountOptions_InlineOssVolume_GetsOwnerAndUmaskInOssfsSyntax()
    {
        const string pod = """
            apiVersion: v1
            kind: Pod
            metadata: { name: worker-0, labels: { tier: airflow, component: worker } }
            spec:
              securityContext: { runAsUser: 50000 }
              containers:
                - name: worker
                  image: apache/airflow:2.9.3
                  volumeMounts: [{ name: data, mountPath: /data }]
              volumes:
                - name: data
                  csi:
                    driver: ossplugin.csi.alibabacloud.com
                    volumeAttributes: { bucket: data, otherOpts: "-o max_stat_cache_size=0 -oallow_other" }
            """;

        var (patched, patch) = MutateOnce(pod, Packs.Default, "Pod", "worker-0");

        var op = Assert.Single(patch);
        Assert.Equal(("replace", "/spec/volumes/0/csi/volumeAttributes/otherOpts"), (op.Op, op.Path));
        Assert.Equal("-o max_stat_cache_size=0 -oallow_other -o uid=50000 -o gid=0 -o umask=002",
            (string)patched["spec"]!["volumes"]![0]!["csi"]!["volumeAttributes"]!["otherOpts"]!);
    }

    [Fact]
    public void FuseMountOptions_InlineGcsFuseWithoutAttributes_UsesCommaSyntaxAndModesForUmask()
    {
        const string pod = """
            apiVersion: v1
            kind: Pod
            metadata: { name: worker-0, labels: { tier: airflow, component: worker } }
            spec:
              securityContext: { runAsUser: 1001, runAsGroup: 3003 }
              containers: [{ name: worker, image: apache/airflow:2.9.3 }]
              volumes:
                - { name: data, csi: { driver: gcsfuse.csi.storage.gke.io } }
            """;

        var (patched, patch) = MutateOnce(pod, Packs.Default, "Pod", "worker-0");

        Assert.Equal("/spec/volumes/0/csi/volumeAttributes", Assert.Single(patch).Path);
        Assert.Equal("uid=1001,gid=3003,file-mode=0664,dir-mode=0775",
            (string)patched["spec"]!["volumes"]![0]!["csi"]!["volumeAttributes"]!["mountOptions"]!);
    }

    [Theory]
    [InlineData("mountOptions: [allow-delete]", "/spec/mountOptions/-")]
    [InlineData("", "/spec/mountOptions")]
    public void FuseMountOptions_MountpointPersistentVolume_AddsListEntries(string existing, string expectedPath)
    {
        var pv = $$"""
            apiVersion: v1
            kind: PersistentVolume
            metadata: { name: s3-logs, labels: { app.kubernetes.io/part-of: airflow } }
            spec:
              accessModes: [ReadWriteMany]
              {{existing}}
              csi: { driver: s3.csi.aws.com, volumeHandle: s3-logs, volumeAttributes: { bucketName: logs } }
            """;

        var (patched, patch) = MutateOnce(pv, Packs.Examples, "PersistentVolume", "s3-logs");

        Assert.All(patch, op => Assert.Equal(expectedPath, op.Path));
        var options = patched["spec"]!["mountOptions"]!.AsArray().Select(o => (string)o!).ToList();
        Assert.Equal(["uid=50000", "gid=0", "file-mode=0664", "dir-mode=0775", "allow-other"], options.Where(o => o != "allow-delete"));
    }

    [Fact]
    public void FuseMountOptions_OssPersistentVolume_KeepsTheOwnersExplicitChoice()
    {
        const string pv = """
            apiVersion: v1
            kind: PersistentVolume
            metadata: { name: oss-logs, labels: { app.kubernetes.io/part-of: airflow } }
            spec:
              csi:
                driver: ossplugin.csi.alibabacloud.com
                volumeHandle: oss-logs
                volumeAttributes: { bucket: logs, OtherOpts: "-o uid=0 -o allow_other" }
            """;

        var (patched, patch) = MutateOnce(pv, Packs.Examples, "PersistentVolume", "oss-logs");

        Assert.Equal("/spec/csi/volumeAttributes/OtherOpts", Assert.Single(patch).Path);
        Assert.Equal("-o uid=0 -o allow_other -o gid=0 -o umask=002", (string)patched["spec"]!["csi"]!["volumeAttributes"]!["OtherOpts"]!);
    }

    [Fact]
    public void FuseMountOptions_AttributeNameWithSlashAndTilde_IsEscapedInThePatchPath()
    {
        const string catalog = """
            apiVersion: airflowguard.dev/v1
            kind: DriverCatalog
            metadata: { name: odd }
            spec:
              drivers:
                - driver: odd.example.com
                  class: object-storage-fuse
                  mountOptions:
                    inline: { style: flags, attribute: "fuse~opts/extra" }
                    uid: "-o uid={uid}"
            ---
            apiVersion: airflowguard.dev/v1
            kind: AirflowPolicy
            metadata: { name: owner }
            spec:
              mutations:
                - fuseMountOptions: { uid: 50000 }
            """;
        const string pod = """
            apiVersion: v1
            kind: Pod
            metadata: { name: worker-0, labels: { tier: airflow, component: worker } }
            spec:
              containers: [{ name: worker, image: apache/airflow:2.9.3 }]
              volumes:
                - { name: data, csi: { driver: odd.example.com, volumeAttributes: { "fuse~opts/extra": "-o ro" } } }
            """;

        var (patched, patch) = MutateOnce(pod, Packs.FromYaml(catalog), "Pod", "worker-0");

        Assert.Equal("/spec/volumes/0/csi/volumeAttributes/fuse~0opts~1extra", Assert.Single(patch).Path);
        Assert.Equal("-o ro -o uid=50000", (string)patched["spec"]!["volumes"]![0]!["csi"]!["volumeAttributes"]!["fuse~opts/extra"]!);
    }

    [Fact]
    public void FuseMountOptions_OnAnInlineBlobfuseVolume_GoIntoItsMountOptionsAttribute()
    {
        var pod = """
            apiVersion: v1
            kind: Pod
            metadata: { name: s, namespace: airflow, labels: { tier: airflow, component: scheduler } }
            spec:
              securityContext: { runAsUser: 50000, runAsGroup: 0 }
              containers:
                - name: scheduler
                  image: apache/airflow:2.10.5
                  volumeMounts: [{ name: blob, mountPath: /data }]
              volumes:
                - name: blob
                  csi: { driver: blob.csi.azure.com, volumeAttributes: { containerName: data, secretName: blob-creds } }
            """;

        var (patched, _) = MutateOnce(pod, Packs.Default, "Pod", "s");

        var options = (string)patched["spec"]!["volumes"]![0]!["csi"]!["volumeAttributes"]!["mountOptions"]!;
        Assert.Contains("-o uid=50000", options, StringComparison.Ordinal);
        Assert.Contains("-o gid=0", options, StringComparison.Ordinal);
        Assert.Contains("-o umask=002", options, StringComparison.Ordinal);
    }
}
