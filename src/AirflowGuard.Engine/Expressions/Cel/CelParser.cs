namespace AirflowGuard.Engine.Expressions.Cel;

/// <summary>
/// A recursive-descent parser for CEL's grammar (langdef.md "Syntax"): the conditional, <c>||</c>,
/// <c>&amp;&amp;</c>, relations with <c>in</c>, arithmetic, unary <c>!</c> and <c>-</c>, member access,
/// index, calls, list, map and message literals. Operators become <see cref="CelCall"/>s named as in
/// the spec (<c>_+_</c>, <c>_[_]</c>, <c>@in</c>, <c>_?_:_</c>).
/// </summary>
internal sealed class CelParser
{
    private const int MaxDepth = 250;

    private static readonly HashSet<string> Reserved =
    [
        "as", "break", "const", "continue", "else", "for", "function", "if", "import", "let", "loop", "package",
        "namespace", "return", "var", "void", "while",
    ];

    private readonly List<Token> _tokens;
    private int _at;
    private int _depth;

    private CelParser(string text) => _tokens = CelLexer.Tokens(text);

    /// <summary>Parses <paramref name="text"/>; a syntax error is a <see cref="CelSyntaxException"/> with its offset.</summary>
    public static CelNode Parse(string text)
    {
        var parser = new CelParser(text);
        var node = parser.Expr();
        if (parser.Peek.Kind != TokenKind.End)
        {
            throw new CelSyntaxException(parser.Peek.Offset, $"unexpected '{parser.Peek.Text}'");
        }
        return node;
    }

    private Token Peek => _tokens[_at];

    private bool IsPunct(string p) => Peek.Kind == TokenKind.Punct && Peek.Text == p;

    private bool Accept(string p)
    {
        if (IsPunct(p))
        {
            _at++;
            return true;
        }
        return false;
    }

    private Token Expect(string p)
    {
        if (!IsPunct(p))
        {
            throw new CelSyntaxException(Peek.Offset, Peek.Kind == TokenKind.End ? $"expected '{p}' at the end of the expression" : $"expected '{p}', found '{Peek.Text}'");
        }
        return _tokens[_at++];
    }

    private void Deeper(int offset)
    {
        if (++_depth > MaxDepth)
        {
            throw new CelSyntaxException(offset, $"the expression is nested too deeply (more than {MaxDepth} levels)");
        }
    }

    private CelNode Expr()
    {
        Deeper(Peek.Offset);
        var condition = Or();
        if (IsPunct("?"))
        {
            var at = _tokens[_at++].Offset;
            var then = Or();
            Expect(":");
            var otherwise = Expr();
            condition = new CelCall(at, null, "_?_:_", [condition, then, otherwise]);
        }
        _depth--;
        return condition;
    }

    private CelNode Or()
    {
        var left = And();
        while (IsPunct("||"))
        {
            var at = _tokens[_at++].Offset;
            left = new CelCall(at, null, "_||_", [left, And()]);
        }
        return left;
    }

    private CelNode And()
    {
        var left = Relation();
        while (IsPunct("&&"))
        {
            var at = _tokens[_at++].Offset;
            left = new CelCall(at, null, "_&&_", [left, Relation()]);
        }
        return left;
    }

    private CelNode Relation()
    {
        var left = Addition();
        while (true)
        {
            string? op = Peek.Kind == TokenKind.Punct
                ? Peek.Text switch { "<" => "_<_", "<=" => "_<=_", ">" => "_>_", ">=" => "_>=_", "==" => "_==_", "!=" => "_!=_", _ => null }
                : Peek.Kind == TokenKind.Ident && Peek.Text == "in" ? "@in" : null;
            if (op is null)
            {
                return left;
            }
            var at = _tokens[_at++].Offset;
            left = new CelCall(at, null, op, [left, Addition()]);
        }
    }

    private CelNode Addition()
    {
        var left = Multiplication();
        while (IsPunct("+") || IsPunct("-"))
        {
            var token = _tokens[_at++];
            left = new CelCall(token.Offset, null, token.Text == "+" ? "_+_" : "_-_", [left, Multiplication()]);
        }
        return left;
    }

    private CelNode Multiplication()
    {
        var left = Unary();
        while (IsPunct("*") || IsPunct("/") || IsPunct("%"))
        {
            var token = _tokens[_at++];
            left = new CelCall(token.Offset, null, token.Text switch { "*" => "_*_", "/" => "_/_", _ => "_%_" }, [left, Unary()]);
        }
        return left;
    }

    private CelNode Unary()
    {
        if (IsPunct("!"))
        {
            var at = _tokens[_at++].Offset;
            Deeper(at);
            var not = new CelCall(at, null, "!_", [Unary()]);
            _depth--;
            return not;
        }
        if (IsPunct("-"))
        {
            var at = _tokens[_at++].Offset;
            if (Peek.Kind is TokenKind.Int or TokenKind.Double && !IsMemberNext(_at + 1))
            {
                // a negative literal: -9223372036854775808 is an int, not the negation of an overflowing one
                var literal = _tokens[_at++];
                return new CelLiteral(at, literal.Kind == TokenKind.Double
                    ? CelValue.Double(-literal.Value.AsDouble)
                    : CelValue.Int(unchecked(-(long)literal.Value.AsUint)));
            }
            Deeper(at);
            var negation = new CelCall(at, null, "-_", [Unary()]);
            _depth--;
            return negation;
        }
        return Member();
    }

    private bool IsMemberNext(int index) => _tokens[index].Kind == TokenKind.Punct && _tokens[index].Text is "." or "[";

    private CelNode Member()
    {
        var node = Primary();
        while (true)
        {
            if (IsPunct("."))
            {
                var at = _tokens[_at++].Offset;
                var name = Peek;
                if (name.Kind != TokenKind.Ident)
                {
                    throw new CelSyntaxException(name.Offset, $"expected a field name after '.', found '{name.Text}'");
                }
                _at++;
                if (IsPunct("(") && name.Value.Kind != CelKind.Bool)
                {
                    _at++;
                    node = new CelCall(name.Offset, node, name.Text, Arguments(")"));
                }
                else
                {
                    node = new CelSelect(at, node, name.Text, false);
                }
            }
            else if (IsPunct("["))
            {
                var at = _tokens[_at++].Offset;
                var index = Expr();
                Expect("]");
                node = new CelCall(at, null, "_[_]", [node, index]);
            }
            else if (IsPunct("{") && QualifiedName(node) is { } typeName)
            {
                var at = _tokens[_at++].Offset;
                var fields = new List<(string, CelNode)>();
                while (!IsPunct("}"))
                {
                    var field = Peek;
                    if (field.Kind != TokenKind.Ident)
                    {
                        throw new CelSyntaxException(field.Offset, "expected a field name");
                    }
                    _at++;
                    Expect(":");
                    fields.Add((field.Text, Expr()));
                    if (!Accept(","))
                    {
                        break;
                    }
                }
                Expect("}");
                node = new CelStructNode(at, typeName, fields);
            }
            else
            {
                return node;
            }
        }
    }

    /// <summary>The type name before a message literal's brace (<c>a.b.Type{…}</c>), or null.</summary>
    private static string? QualifiedName(CelNode node)
    {
        var parts = new List<string>();
        for (var depth = 0; depth < 64; depth++)
        {
            switch (node)
            {
                case CelIdent ident:
                    parts.Add((ident.Rooted ? "." : "") + ident.Name);
                    parts.Reverse();
                    return string.Join('.', parts);
                case CelSelect { TestOnly: false } select:
                    parts.Add(select.Field);
                    node = select.Operand;
                    break;
                default:
                    return null;
            }
        }
        return null;
    }

    private List<CelNode> Arguments(string close)
    {
        var args = new List<CelNode>();
        while (!IsPunct(close))
        {
            args.Add(Expr());
            if (!Accept(","))
            {
                break;
            }
        }
        Expect(close);
        return args;
    }

    private CelNode Primary()
    {
        var token = Peek;
        switch (token.Kind)
        {
            case TokenKind.Int:
                _at++;
                return token.Value.AsUint > long.MaxValue
                    ? throw new CelSyntaxException(token.Offset, "int literal out of range")
                    : new CelLiteral(token.Offset, CelValue.Int((long)token.Value.AsUint));
            case TokenKind.Uint or TokenKind.Double or TokenKind.String or TokenKind.Bytes:
                _at++;
                return new CelLiteral(token.Offset, token.Value);
            case TokenKind.Ident:
                return IdentOrCall(rooted: false);
            case TokenKind.End:
                throw new CelSyntaxException(token.Offset, "unexpected end of the expression");
        }
        switch (token.Text)
        {
            case ".":
                _at++;
                if (Peek.Kind != TokenKind.Ident)
                {
                    throw new CelSyntaxException(Peek.Offset, "expected a name after '.'");
                }
                return IdentOrCall(rooted: true);
            case "(":
                _at++;
                var inner = Expr();
                Expect(")");
                return inner;
            case "[":
                _at++;
                return new CelListNode(token.Offset, Arguments("]"));
            case "{":
                _at++;
                var entries = new List<(CelNode, CelNode)>();
                while (!IsPunct("}"))
                {
                    var key = Expr();
                    Expect(":");
                    entries.Add((key, Expr()));
                    if (!Accept(","))
                    {
                        break;
                    }
                }
                Expect("}");
                return new CelMapNode(token.Offset, entries);
            default:
                throw new CelSyntaxException(token.Offset, $"unexpected '{token.Text}'");
        }
    }

    private CelNode IdentOrCall(bool rooted)
    {
        var token = _tokens[_at++];
        if (token.Value.Kind == CelKind.Bool)
        {
            throw new CelSyntaxException(token.Offset, "a quoted name is only allowed after '.'");
        }
        switch (token.Text)
        {
            case "true" when !rooted: return new CelLiteral(token.Offset, CelValue.True);
            case "false" when !rooted: return new CelLiteral(token.Offset, CelValue.False);
            case "null" when !rooted: return new CelLiteral(token.Offset, CelValue.Null);
            case "in" or "true" or "false" or "null":
                throw new CelSyntaxException(token.Offset, $"unexpected '{token.Text}'");
        }
        if (Reserved.Contains(token.Text))
        {
            throw new CelSyntaxException(token.Offset, $"'{token.Text}' is a reserved word");
        }
        if (IsPunct("("))
        {
            _at++;
            return new CelCall(token.Offset, null, (rooted ? "." : "") + token.Text, Arguments(")"));
        }
        return new CelIdent(token.Offset, token.Text, rooted);
    }
}
