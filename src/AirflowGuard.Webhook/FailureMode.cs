namespace AirflowGuard.Webhook;

/// <summary>What to do with a request when evaluating it fails (a bug, not a policy verdict).</summary>
public enum FailureMode
{
    /// <summary>Admit the object with a warning; the failure is logged and counted.</summary>
    Allow,

    /// <summary>Refuse the object; the failure is logged and counted.</summary>
    Deny,
}
