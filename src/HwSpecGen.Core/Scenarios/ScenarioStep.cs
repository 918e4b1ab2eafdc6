namespace HwSpecGen.Core.Scenarios;

/// <summary>One expectation checked by a scenario: the phase it belongs to, what was decoded, what the model did, and whether it matched.</summary>
/// <param name="Phase">Phase name (e.g. "stage 2", "guest unmap + invalidation").</param>
/// <param name="Decoded">What was decoded (a command, an entry, a record), as the generated struct prints it; may be empty.</param>
/// <param name="Action">What the model did.</param>
/// <param name="Expectation">What was expected.</param>
/// <param name="Passed">Whether it held.</param>
public sealed record ScenarioStep(string Phase, string Decoded, string Action, string Expectation, bool Passed);
