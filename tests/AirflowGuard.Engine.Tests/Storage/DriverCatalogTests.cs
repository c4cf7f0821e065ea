using AirflowGuard.Engine.Storage;
using AirflowGuard.Engine.Tests.Support;

namespace AirflowGuard.Engine.Tests;

/// <summary>The provisioners and CSI drivers Airflow users' clusters run, each with its sharing class; names judged only where they say it plainly.</summary>
public class DriverCatalogTests
{
    private static DriverCatalog Catalog => Packs.Default.Drivers;

    [Theory]
    [InlineData("cluster.local/nfs-server-provisioner", BackingClass.SharedFilesystem)]
    [InlineData("cluster.local/airflow-nfs-server-provisioner", BackingClass.SharedFilesystem)]
    [InlineData("k8s-sigs.io/nfs-subdir-external-provisioner", BackingClass.SharedFilesystem)]
    [InlineData("fuseim.pri/ifs", BackingClass.SharedFilesystem)]
    [InlineData("nfs.csi.k8s.io", BackingClass.SharedFilesystem)]
    [InlineData("rook-ceph.cephfs.csi.ceph.com", BackingClass.SharedFilesystem)]
    [InlineData("rook-ceph.rbd.csi.ceph.com", BackingClass.Block)]
    [InlineData("rancher.io/local-path", BackingClass.Block)]
    [InlineData("openebs.io/local", BackingClass.Block)]
    [InlineData("driver.longhorn.io", BackingClass.Block)]
    [InlineData("topolvm.io", BackingClass.Block)]
    [InlineData("csi.vsphere.vmware.com", BackingClass.Block)]
    [InlineData("pxd.portworx.com", BackingClass.Block)]
    [InlineData("k8s.io/minikube-hostpath", BackingClass.HostPath)]
    [InlineData("ebs.csi.aws.com", BackingClass.Block)]
    [InlineData("efs.csi.aws.com", BackingClass.SharedFilesystem)]
    [InlineData("file.csi.azure.com", BackingClass.SharedFilesystem)]
    [InlineData("disk.csi.azure.com", BackingClass.Block)]
    [InlineData("filestore.csi.storage.gke.io", BackingClass.SharedFilesystem)]
    [InlineData("pd.csi.storage.gke.io", BackingClass.Block)]
    public void KnownDrivers_HaveTheirClass(string driver, BackingClass expected)
    {
        var info = Catalog.Find(driver);

        Assert.NotNull(info);
        Assert.Equal(expected, info.Class);
    }

    [Fact]
    public void PortworxSharedVolumes_AreSharedFileSystems()
    {
        Assert.Equal(BackingClass.SharedFilesystem, Catalog.Find("pxd.portworx.com")!.ClassFor(new Dictionary<string, string> { ["sharedv4"] = "true" }));
    }

    [Theory]
    [InlineData("example.org/my-nfs", BackingClass.SharedFilesystem)]
    [InlineData("storage.corp/CephFS-provisioner", BackingClass.SharedFilesystem)]
    [InlineData("corp.io/hostpath-provisioner", BackingClass.HostPath)]
    [InlineData("corp.io/local-path-provisioner", BackingClass.Block)]
    public void AnUnknownName_ThatSaysWhatItIs_IsJudgedByIt(string driver, BackingClass expected)
    {
        Assert.Null(Catalog.Find(driver));
        var judged = DriverCatalog.Judge(driver);

        Assert.Equal(expected, judged!.Class);
        Assert.Contains("judged by its name", judged.Title, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("corp.io/fast")]
    [InlineData("storage.example/provisioner")]
    public void AnUnknownName_ThatSaysNothing_StaysUnknown(string driver) => Assert.Null(DriverCatalog.Judge(driver));
}
