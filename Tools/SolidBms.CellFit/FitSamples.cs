using System;
using System.Collections.Generic;
using SolidBms.Core.Config;

namespace SolidBms.CellFit;

/// <summary>
/// The samples the impedance and hysteresis fit sees at one temperature: the records (HPPC, dynamic, the middle of the
/// C/20 tests) one after another, each with its SOC by coulomb counting from its own start and the voltage left after the
/// OCV table, y = V - OCV(SOC), mV. <see cref="RecordStart"/> marks each record's first sample (the model's states start
/// afresh there); <see cref="Used"/> leaves samples out of the squares while their current still drives the states.
/// </summary>
public sealed class FitSamples
{
    public double CapacityAh { get; init; }
    public double[] TimeS { get; private set; } = Array.Empty<double>();
    public double[] CurrentA { get; private set; } = Array.Empty<double>();
    public double[] Y { get; private set; } = Array.Empty<double>();
    public double[] Soc { get; private set; } = Array.Empty<double>();
    public bool[] RecordStart { get; private set; } = Array.Empty<bool>();
    public bool[] Used { get; private set; } = Array.Empty<bool>();
    /// <summary>
    /// Samples of the knee near empty that count only in a design with the diffusion shift (<see cref="ImpedanceDesign.DiffusionTauS"/>):
    /// without it no impedance can follow them (the model reads 100s of mV high there, at rest as under load).
    /// </summary>
    public bool[] Knee { get; private set; } = Array.Empty<bool>();
    /// <summary>Each sample's temperature, C (its record's mean), and the OCV table Y was taken from: the diffusion reads it at a shifted SOC.</summary>
    public float[] TemperatureC { get; private set; } = Array.Empty<float>();
    public CellModel OcvModel { get; private set; }
    public int Count => TimeS.Length;
    public List<string> Sources { get; } = new();

    /// <summary>
    /// Adds a record from SOC soc0 at its first sample; <paramref name="use"/> picks the samples that count (null: all),
    /// <paramref name="knee"/> those of the others that count with the diffusion shift.
    /// </summary>
    public void Add(CyclerLog log, CellModel ocvModel, double soc0, Func<double, bool> use = null, Func<double, bool> knee = null)
    {
        OcvModel = ocvModel;
        var q = Segments.DischargedAh(log);
        float temperature = (float)log.MeanTemperatureC;
        int n0 = Count, n = log.Count;
        var t = Grow(TimeS, n); var c = Grow(CurrentA, n); var y = Grow(Y, n); var s = Grow(Soc, n);
        var start = new bool[n0 + n]; Array.Copy(RecordStart, start, n0);
        var used = new bool[n0 + n]; Array.Copy(Used, used, n0);
        var inKnee = new bool[n0 + n]; Array.Copy(Knee, inKnee, n0);
        var temperatures = new float[n0 + n]; Array.Copy(TemperatureC, temperatures, n0);
        for (int k = 0; k < n; k++)
        {
            double soc = Math.Clamp(soc0 - q[k] / CapacityAh, 0, 1);
            t[n0 + k] = log.TimeS[k];
            c[n0 + k] = log.CurrentA[k];
            s[n0 + k] = soc;
            y[n0 + k] = log.VoltageV[k] * 1000 - ocvModel.OcvMillivoltsAt((float)soc, temperature);
            used[n0 + k] = use == null || use(soc);
            inKnee[n0 + k] = !used[n0 + k] && knee != null && knee(soc);
            temperatures[n0 + k] = temperature;
        }
        start[n0] = true;
        TimeS = t; CurrentA = c; Y = y; Soc = s; RecordStart = start; Used = used; Knee = inKnee; TemperatureC = temperatures;
        Sources.Add(log.Name);
    }

    private static double[] Grow(double[] a, int more)
    {
        var g = new double[a.Length + more];
        Array.Copy(a, g, a.Length);
        return g;
    }
}
