using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace AirflowGuard.Engine.Yaml;

/// <summary>
/// Passes a parser's events through, refusing collections nested deeper than <see cref="YamlLimits.MaxDepth"/>
/// before a recursive consumer (YamlDotNet's node model) can overflow the stack on them.
/// </summary>
internal sealed class DepthLimitedParser(IParser inner) : IParser
{
    private int _depth;

    public ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        if (!inner.MoveNext())
        {
            return false;
        }
        switch (inner.Current)
        {
            case MappingStart or SequenceStart when ++_depth > YamlLimits.MaxDepth:
                throw new YamlException(inner.Current.Start, inner.Current.End, $"nested deeper than {YamlLimits.MaxDepth} levels");
            case MappingEnd or SequenceEnd:
                _depth--;
                break;
        }
        return true;
    }
}
