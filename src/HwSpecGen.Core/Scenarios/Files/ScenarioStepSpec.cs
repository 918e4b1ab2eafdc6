namespace HwSpecGen.Core.Scenarios.Files;

/// <summary>One step of a scenario file; the subclasses in ScenarioSteps.cs are the step kinds.</summary>
/// <param name="Line">Line of the step in the file.</param>
/// <param name="Note">The author's words for what the step shows, printed with its expectations.</param>
/// <param name="Expect">Its expectations.</param>
public abstract record ScenarioStepSpec(int Line, string? Note, ScenarioExpectations Expect);
