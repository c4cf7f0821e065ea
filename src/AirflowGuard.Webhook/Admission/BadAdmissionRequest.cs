namespace AirflowGuard.Webhook.Admission;

/// <summary>Why a body is not an AdmissionReview AirflowGuard can answer; becomes an HTTP 400 problem.</summary>
public sealed record BadAdmissionRequest(string Reason, string Detail, string? Path = null);
