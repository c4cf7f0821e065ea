namespace AirflowGuard.Engine.Storage;

/// <summary>What kind of storage really holds a path.</summary>
public enum BackingClass
{
    /// <summary>No volume: the container's own writable layer, gone with the container.</summary>
    None,
    EmptyDir,
    HostPath,

    /// <summary>ConfigMap, Secret, projected or downward API: read-only content from the API server.</summary>
    Config,

    /// <summary>POSIX-ish network file systems shared between nodes: NFS, EFS, Alibaba NAS, Azure Files, Filestore, JuiceFS.</summary>
    SharedFilesystem,

    /// <summary>Object storage mounted through FUSE: ossfs, Mountpoint for S3, GCS FUSE, blobfuse, s3fs/geesefs.</summary>
    ObjectStorageFuse,

    /// <summary>Network block devices and local disks: one node at a time.</summary>
    Block,

    /// <summary>AirflowGuard cannot tell (unresolved claim, driver not in the catalogue).</summary>
    Unknown,
}
