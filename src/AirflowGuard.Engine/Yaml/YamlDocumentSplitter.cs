using System.Text;

namespace AirflowGuard.Engine.Yaml;

/// <summary>
/// Cuts a YAML stream into its documents by their markers, so that a syntax error in one document is
/// reported and the next one is still read. A line starting with <c>---</c> or <c>...</c> followed by
/// a space or the line's end is a document marker wherever it stands, even inside a block scalar
/// (YAML 1.2 c-forbidden), so cutting on such lines is exact. Each line passes through
/// <see cref="BlockScalarLeadRepair"/> on the way.
/// </summary>
public static class YamlDocumentSplitter
{
    public static IEnumerable<YamlDocumentText> Split(TextReader reader)
    {
        var repair = new BlockScalarLeadRepair();
        var released = new List<string>();
        var text = new StringBuilder();
        var firstLine = 1;
        var lineNumber = 0; // lines released so far
        var hasContent = false;

        while (true)
        {
            var line = reader.ReadLine();
            released.Clear();
            if (line is null)
            {
                repair.Flush(released);
            }
            else
            {
                repair.Feed(line, released);
            }
            foreach (var output in released)
            {
                lineNumber++;
                var start = output.StartsWith("---", StringComparison.Ordinal) && IsMarker(output);
                if (start && hasContent)
                {
                    yield return new YamlDocumentText(text.ToString(), firstLine);
                    text.Clear();
                    firstLine = lineNumber;
                    hasContent = false;
                }
                text.Append(output).Append('\n');
                if (output.StartsWith("...", StringComparison.Ordinal) && IsMarker(output))
                {
                    yield return new YamlDocumentText(text.ToString(), firstLine);
                    text.Clear();
                    firstLine = lineNumber + 1;
                    hasContent = false;
                }
                else if (!hasContent && HasContent(output))
                {
                    hasContent = true;
                }
            }
            if (line is null)
            {
                break;
            }
        }
        if (text.Length > 0)
        {
            yield return new YamlDocumentText(text.ToString(), firstLine);
        }
    }

    /// <summary>The whole stream with every line repaired, for readers that load a file at once.</summary>
    public static string Repair(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var document in Split(new StringReader(text)))
        {
            builder.Append(document.Text);
        }
        // Split ends every line with '\n'; keep a text without a final line break as it was
        if (!text.EndsWith('\n') && builder.Length > 0)
        {
            builder.Length--;
        }
        return builder.ToString();
    }

    private static bool IsMarker(string line) => line.Length == 3 || line[3] is ' ' or '\t';

    /// <summary>A line that belongs to a document: not blank, not a comment, not a directive.</summary>
    private static bool HasContent(string line)
    {
        foreach (var c in line)
        {
            if (c is ' ' or '\t')
            {
                continue;
            }
            return c is not ('#' or '%') || (c == '%' && line[0] != '%');
        }
        return false;
    }
}
