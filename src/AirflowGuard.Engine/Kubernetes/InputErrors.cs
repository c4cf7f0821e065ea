namespace AirflowGuard.Engine.Kubernetes;

/// <summary>Collects input errors while reading; reading goes on so that every problem is reported at once.</summary>
public sealed class InputErrors
{
    private List<InputError>? _errors;

    public IReadOnlyList<InputError> All => _errors ?? (IReadOnlyList<InputError>)[];

    public bool Any => _errors is { Count: > 0 };

    public void Add(string path, string message) => (_errors ??= []).Add(new InputError(path, message));

    public void Add(in JsonPath path, string message) => Add(path.ToString(), message);
}
