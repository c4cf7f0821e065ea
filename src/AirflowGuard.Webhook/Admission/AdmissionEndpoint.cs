namespace AirflowGuard.Webhook.Admission;

/// <summary>
/// What the API server calls. <see cref="Validate"/> judges with every policy; a chart whose policies mix modes registers
/// <see cref="ValidateEnforce"/> (its Enforce policies, failurePolicy Fail) and <see cref="ValidateWarn"/> (its Warn and
/// Audit ones, failurePolicy Ignore) instead, so that a webhook that is down blocks only what an Enforce policy would.
/// </summary>
public enum AdmissionEndpoint
{
    Validate,
    Mutate,
    ValidateEnforce,
    ValidateWarn,
}

public static class AdmissionEndpoints
{
    /// <summary>The path and metrics label of each endpoint.</summary>
    public static string Name(this AdmissionEndpoint endpoint) => endpoint switch
    {
        AdmissionEndpoint.Mutate => "mutate",
        AdmissionEndpoint.ValidateEnforce => "validate-enforce",
        AdmissionEndpoint.ValidateWarn => "validate-warn",
        _ => "validate",
    };

    public static bool Validates(this AdmissionEndpoint endpoint) => endpoint != AdmissionEndpoint.Mutate;
}
