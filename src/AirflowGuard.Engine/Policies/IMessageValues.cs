namespace AirflowGuard.Engine.Policies;

/// <summary>Supplies placeholder values when a message is rendered.</summary>
public interface IMessageValues
{
    string? Get(string name);
}
