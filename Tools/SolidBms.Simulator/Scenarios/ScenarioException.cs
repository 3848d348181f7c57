using System;

namespace SolidBms.Simulator.Scenarios;

/// <summary>A scenario that cannot run, with the JSON path of the key at fault (e.g. "segments[2].durationS").</summary>
public sealed class ScenarioException : Exception
{
    public ScenarioException(string keyPath, string reason)
        : base(string.IsNullOrEmpty(keyPath) ? reason : $"{keyPath}: {reason}")
    {
        KeyPath = keyPath;
        Reason = reason;
    }

    public string KeyPath { get; }
    public string Reason { get; }
}
