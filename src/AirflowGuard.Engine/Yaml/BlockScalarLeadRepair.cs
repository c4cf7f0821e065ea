namespace AirflowGuard.Engine.Yaml;

/// <summary>
/// Works around a YamlDotNet scanner bug (aaubry/YamlDotNet#523): a literal block scalar without an
/// indentation indicator whose first line holds only spaces is rejected with "found extra spaces in
/// first line", although YAML allows it and helm emits it (the official Airflow chart's
/// <c>airflow_local_settings.py: |-</c> and <c>pod_template_file.yaml: |-</c>).
/// <para>
/// Such leading space-only lines are empty lines of the scalar: when none of them has more spaces than
/// the first line with content, their spaces are indentation, not content, and each contributes one
/// line break whatever its width (YAML 1.2 §8.1.1.1). Blanking them is therefore exact: the scalar's
/// value does not change. Lines with more spaces than the first content line are left alone (that is
/// invalid YAML, and the parser says so), as is everything outside such leading runs. Line numbers do
/// not move, so every location the parser reports stays true.
/// </para>
/// Lines are fed one at a time; output lines come out in order, some held back until the first content
/// line of a block scalar shows how far its content is indented.
/// </summary>
internal sealed class BlockScalarLeadRepair
{
    private readonly List<string> _held = [];
    private State _state = State.Outside;

    /// <summary>The column a block scalar's content must be indented past (its key's or dash's column).</summary>
    private int _owner;

    private enum State
    {
        Outside,

        /// <summary>After a header without indentation indicator, before its first content line.</summary>
        Leading,

        /// <summary>Inside a block scalar's content: nothing here is a header.</summary>
        Content,
    }

    /// <summary>How many lines were changed so far.</summary>
    public int Repaired { get; private set; }

    /// <summary>Takes the next line (without its line break) and appends what can be released to <paramref name="output"/>.</summary>
    public void Feed(string line, List<string> output)
    {
        var indent = Indentation(line, out var blank);
        switch (_state)
        {
            case State.Leading when blank:
                _held.Add(line);
                return;
            case State.Leading:
                var isContent = indent > _owner && !IsDocumentMarker(line);
                Release(output, isContent ? indent : int.MaxValue);
                if (isContent)
                {
                    output.Add(line);
                    _state = State.Content;
                    return;
                }
                _state = State.Outside;
                break;
            case State.Content when blank || (indent > _owner && !IsDocumentMarker(line)):
                output.Add(line);
                return;
            case State.Content:
                _state = State.Outside;
                break;
        }

        output.Add(line);
        if (Header(line) is { } header)
        {
            _owner = header.Owner;
            _state = header.HasIndentationIndicator ? State.Content : State.Leading;
        }
    }

    /// <summary>At the end of the input: releases held lines.</summary>
    public void Flush(List<string> output)
    {
        if (_state == State.Leading)
        {
            Release(output, int.MaxValue);
        }
        _state = State.Outside;
    }

    /// <summary>Blanks the held space-only lines when none is wider than <paramref name="contentIndent"/>.</summary>
    private void Release(List<string> output, int contentIndent)
    {
        var repairable = true;
        foreach (var held in _held)
        {
            if (held.Length > contentIndent)
            {
                repairable = false;
            }
        }
        foreach (var held in _held)
        {
            if (repairable && held.Length > 0)
            {
                output.Add("");
                Repaired++;
            }
            else
            {
                output.Add(held);
            }
        }
        _held.Clear();
    }

    /// <summary>Leading spaces; <paramref name="blank"/> when the line holds nothing but spaces.</summary>
    private static int Indentation(string line, out bool blank)
    {
        var i = 0;
        while (i < line.Length && line[i] == ' ')
        {
            i++;
        }
        blank = i == line.Length;
        return i;
    }

    private static bool IsDocumentMarker(string line) =>
        line.Length >= 3 && (line.StartsWith("---", StringComparison.Ordinal) || line.StartsWith("...", StringComparison.Ordinal)) &&
        (line.Length == 3 || line[3] is ' ' or '\t');

    /// <summary>
    /// Recognises a line that ends in a block scalar header (<c>key: |-</c>, <c>- &gt;</c>, <c>key: &amp;a !!str |2 # c</c>)
    /// and the column its content must be indented past. Lexes only as far as the header needs.
    /// </summary>
    internal static (int Owner, bool HasIndentationIndicator)? Header(string line)
    {
        var pos = 0;
        var owner = -1;
        if (IsDocumentMarker(line) && line.StartsWith("---", StringComparison.Ordinal))
        {
            pos = 3;
        }
        pos = SkipSpaces(line, pos);
        // sequence entries: "- - key: |"
        while (pos < line.Length && line[pos] == '-' && (pos + 1 == line.Length || line[pos + 1] == ' '))
        {
            owner = pos;
            pos = SkipSpaces(line, pos + 1);
        }
        if (pos < line.Length && line[pos] is not ('|' or '>' or '&' or '!'))
        {
            var keyStart = pos;
            var afterKey = KeyEnd(line, pos);
            if (afterKey < 0)
            {
                return null;
            }
            owner = keyStart;
            pos = SkipSpaces(line, afterKey);
        }
        // node properties: an anchor and a tag, in either order
        for (var i = 0; i < 2 && pos < line.Length && line[pos] is '&' or '!'; i++)
        {
            while (pos < line.Length && line[pos] != ' ')
            {
                pos++;
            }
            pos = SkipSpaces(line, pos);
        }
        if (pos >= line.Length || line[pos] is not ('|' or '>'))
        {
            return null;
        }
        pos++;
        var indicator = false;
        for (var i = 0; i < 2 && pos < line.Length; i++)
        {
            if (line[pos] is '+' or '-')
            {
                pos++;
            }
            else if (line[pos] is >= '1' and <= '9')
            {
                indicator = true;
                pos++;
            }
        }
        if (pos < line.Length && line[pos] != ' ')
        {
            return null; // "|x" is not a header
        }
        pos = SkipSpaces(line, pos);
        return pos == line.Length || line[pos] == '#' ? (owner, indicator) : null;
    }

    /// <summary>The position after a mapping key's ':' on this line, or -1 when the line holds no simple key there.</summary>
    private static int KeyEnd(string line, int pos)
    {
        if (line[pos] is '"' or '\'')
        {
            var quote = line[pos];
            var i = pos + 1;
            while (i < line.Length)
            {
                if (line[i] == '\\' && quote == '"')
                {
                    i += 2;
                    continue;
                }
                if (line[i] == quote)
                {
                    if (quote == '\'' && i + 1 < line.Length && line[i + 1] == '\'')
                    {
                        i += 2;
                        continue;
                    }
                    break;
                }
                i++;
            }
            i = SkipSpaces(line, i + 1);
            return i < line.Length && line[i] == ':' && (i + 1 == line.Length || line[i + 1] == ' ') ? i + 1 : -1;
        }
        if (line[pos] is '{' or '[' or '#' or '?' or '*' or '%' or '@' or '`')
        {
            return -1;
        }
        for (var i = pos; i < line.Length; i++)
        {
            if (line[i] == ':' && (i + 1 == line.Length || line[i + 1] == ' '))
            {
                return i + 1;
            }
            if (line[i] == '#' && line[i - 1] == ' ')
            {
                return -1;
            }
        }
        return -1;
    }

    private static int SkipSpaces(string line, int pos)
    {
        while (pos < line.Length && line[pos] == ' ')
        {
            pos++;
        }
        return pos;
    }
}
