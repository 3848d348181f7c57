using System;
using System.Collections.Generic;
using System.Text;

namespace SolidBms.Simulator.Scenarios;

/// <summary>
/// Applies a scenario's "profileOverrides" ("section.key": value) to a profile's text before it is
/// loaded, so the edited profile goes through the same validation as any other. A key that the profile
/// does not have is an error: an override must not silently add a limit the firmware ignores.
/// </summary>
public static class ProfileOverrides
{
    public static string Apply(string profileText, IReadOnlyDictionary<string, string> overrides)
    {
        if (overrides.Count == 0) return profileText;
        var pending = new Dictionary<string, string>(overrides);
        var sb = new StringBuilder();
        string section = "";
        foreach (var raw in profileText.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            string code = line.Split('#')[0].Trim();
            if (code.StartsWith('[') && code.EndsWith(']')) section = code[1..^1].Trim();
            int eq = code.IndexOf('=');
            if (eq > 0)
            {
                string key = section + "." + code[..eq].Trim();
                if (pending.Remove(key, out string value))
                {
                    sb.Append(code[..eq].Trim()).Append(" = ").Append(value).Append("  # scenario override\n");
                    continue;
                }
            }
            sb.Append(line).Append('\n');
        }
        foreach (var key in pending.Keys)
        {
            // "enabled" is optional in a profile (default true): add it to its section.
            if (key.EndsWith(".enabled"))
            {
                string sec = key[..^".enabled".Length];
                string marker = "[" + sec + "]\n";
                int at = sb.ToString().IndexOf(marker, StringComparison.Ordinal);
                if (at >= 0)
                {
                    sb.Insert(at + marker.Length, "enabled = " + pending[key] + "  # scenario override\n");
                    continue;
                }
            }
            throw new ScenarioException("profileOverrides." + key, "the profile has no such key");
        }
        return sb.ToString();
    }
}
