namespace AirflowGuard.Engine.Expressions.Cel;

internal enum TokenKind : byte
{
    End,
    Int,
    Uint,
    Double,
    String,
    Bytes,
    Ident,
    Punct,
}
