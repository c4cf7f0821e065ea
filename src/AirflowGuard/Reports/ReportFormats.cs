using AirflowGuard.Checking;

namespace AirflowGuard.Reports;

/// <summary>Writes a check's report in the format asked for: every format renders the same rows.</summary>
internal static class ReportFormats
{
    /// <param name="format">text, json, sarif, junit or policyreport.</param>
    public static void Write(CheckReport report, string format, TextWriter output, bool colour)
    {
        switch (format)
        {
            case "text":
                TextReport.Write(report, output, colour);
                return;
            case "junit":
                JunitReport.Write(report, output);
                return;
        }
        using var buffer = new MemoryStream();
        switch (format)
        {
            case "json":
                JsonReport.Write(report, buffer);
                break;
            case "sarif":
                SarifReport.Write(report, buffer, Version);
                break;
            case "policyreport":
                PolicyReportOutput.Write(report, buffer, DateTimeOffset.UtcNow);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "not a report format");
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    /// <summary>AirflowGuard's version, as SARIF names the tool.</summary>
    public static string Version => typeof(ReportFormats).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
