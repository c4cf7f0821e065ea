namespace AirflowGuard.Engine.Kubernetes;

/// <summary>A pod volume and the source Kubernetes gives it.</summary>
public sealed record VolumeView(string Name, int Index, VolumeSource Source)
{
    /// <summary>JSON pointer of this volume inside the submitted object; a bare pod's (<c>/spec/volumes/{index}</c>) unless set.</summary>
    public string Pointer
    {
        get => _pointer ??= JsonPointer.Append("/spec/volumes", Index);
        init => _pointer = value;
    }

    private string? _pointer;
}
