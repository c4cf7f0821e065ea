namespace AirflowGuard.Engine.Storage;

public enum OptionStyle
{
    /// <summary>One string of ossfs flags: "-o uid=50000 -o allow_other".</summary>
    Flags,

    /// <summary>One string of comma-separated options: "uid=50000,gid=0".</summary>
    Comma,

    /// <summary>A list of strings: PersistentVolume spec.mountOptions.</summary>
    List,
}
