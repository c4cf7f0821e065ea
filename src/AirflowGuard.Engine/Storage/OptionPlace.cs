namespace AirflowGuard.Engine.Storage;

/// <summary>
/// An option location: <see cref="Attribute"/> names a volumeAttributes key (string styles), or it is
/// null with <see cref="OptionStyle.List"/> for the PersistentVolume's spec.mountOptions.
/// </summary>
public sealed record OptionPlace(OptionStyle Style, string? Attribute);
