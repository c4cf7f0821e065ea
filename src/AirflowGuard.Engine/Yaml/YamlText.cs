using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AirflowGuard.Engine.Yaml;

/// <summary>
/// Loads a YAML stream and turns every way the parser can fail into one located message. Besides
/// <see cref="YamlException"/>, YamlDotNet's scanner throws <see cref="InvalidOperationException"/>
/// on some truncated input (an unclosed flow sequence at the end of the file); the scanner's
/// position then says where.
/// </summary>
public static class YamlText
{
    public static YamlStream? Load(string text, out (int Line, int Column, string Message)? error)
    {
        var scanner = new Scanner(new StringReader(YamlDocumentSplitter.Repair(text)));
        var stream = new YamlStream();
        try
        {
            stream.Load(new DepthLimitedParser(new Parser(scanner)));
            foreach (var document in stream.Documents)
            {
                if (YamlLimits.CheckExpansion(document.RootNode) is { } refused)
                {
                    error = ((int)refused.Start.Line, (int)refused.Start.Column, refused.Message);
                    return null;
                }
            }
            error = null;
            return stream;
        }
        catch (YamlException ex)
        {
            error = ((int)ex.Start.Line, (int)ex.Start.Column, "YAML syntax error: " + Clean(ex));
        }
        catch (InvalidOperationException)
        {
            var at = scanner.CurrentPosition;
            error = ((int)at.Line, (int)at.Column, "YAML syntax error: the document ends inside an unclosed [ … ] or { … }");
        }
        return null;
    }

    internal static string Clean(YamlException ex)
    {
        // YamlDotNet prefixes messages with "(Line: 3, Col: 5, Idx: …) - (…): "; the location is ours to print.
        var message = ex.InnerException?.Message ?? ex.Message;
        var dash = message.LastIndexOf("): ", StringComparison.Ordinal);
        return dash >= 0 ? message[(dash + 3)..] : message;
    }
}
