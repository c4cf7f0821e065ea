namespace AirflowGuard.Webhook.Admission;

/// <summary>What AirflowGuard answers to one admission request.</summary>
public sealed record AdmissionAnswer
{
    public static AdmissionAnswer Allow { get; } = new() { Allowed = true };

    public required bool Allowed { get; init; }

    /// <summary>On denial: the message <c>kubectl</c> and <c>helm</c> print.</summary>
    public string? DenialMessage { get; init; }

    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>An RFC 6902 JSON Patch, or null when there is nothing to patch.</summary>
    public byte[]? Patch { get; init; }
}
