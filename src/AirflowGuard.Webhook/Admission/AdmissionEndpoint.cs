namespace AirflowGuard.Webhook.Admission;

public enum AdmissionEndpoint
{
    Validate,
    Mutate,
}
