using System.Text.Json;
using AirflowGuard.Checking;
using AirflowGuard.Engine.Mutations;

namespace AirflowGuard.Reports;

/// <summary><c>check --mutate patches</c>: the JSON Patch of every object that gets one.</summary>
internal static class PatchesReport
{
    public static void WritePatches(CheckReport results, TextWriter output)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartArray();
            foreach (var obj in results.Rows.Where(o => o.Patch.Count > 0))
            {
                json.WriteStartObject();
                json.WriteString("file", obj.File);
                json.WriteNumber("line", obj.Line);
                json.WriteString("object", obj.Name);
                json.WritePropertyName("patch");
                PatchDocument.Write(json, obj.Patch);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
