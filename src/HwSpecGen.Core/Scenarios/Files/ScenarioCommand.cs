namespace HwSpecGen.Core.Scenarios.Files;

/// <summary>One guest command of a <c>commands</c> step: its bytes in memory order and how the report shows it.</summary>
/// <param name="Bytes">The bytes (one queue slot).</param>
/// <param name="Decoded">The generated struct's text, or the raw hex.</param>
public sealed record ScenarioCommand(byte[] Bytes, string Decoded);
