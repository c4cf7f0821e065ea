namespace AirflowGuard.Engine.Expressions.Cel;

internal readonly record struct Token(TokenKind Kind, int Offset, string Text, CelValue Value = default);
