namespace System.Runtime.CompilerServices;

/// <summary>Polyfill so that records compile for netstandard2.0.</summary>
internal static class IsExternalInit
{
}
