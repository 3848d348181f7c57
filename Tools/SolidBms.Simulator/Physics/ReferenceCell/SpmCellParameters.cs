using System;

namespace SolidBms.Simulator.Physics.ReferenceCell;

/// <summary>
/// Parameters of the reference cell (<see cref="SpmCell"/>): a 3 Ah multi-layer Li-metal | Li6PS5Cl | NMC811
/// pouch, 10 unit cells of 100 cm2 in parallel. Its own numbers, chosen from the literature for the physics, NOT
/// from the firmware's cell file (whose tables are an equivalent circuit). Sources and reasoning: docs/estimation.md,
/// "Reference cell". SI units unless the name says otherwise.
/// </summary>
public sealed record SpmCellParameters
{
    public const double Faraday = 96485.33, GasConstant = 8.314462, ReferenceKelvin = 298.15;

    /// <summary>Electrode area of all layers together, m2 (10 x 100 cm2).</summary>
    public double AreaM2 { get; init; } = 0.1;
    /// <summary>Composite cathode thickness, m, and its NMC811 volume fraction (75 wt% NMC in LPSCl, about 10 % pores).</summary>
    public double CathodeThicknessM { get; init; } = 60e-6;
    public double ActiveFraction { get; init; } = 0.46;
    /// <summary>Solid-electrolyte volume fraction in the composite (the ionic path).</summary>
    public double CatholyteFraction { get; init; } = 0.44;
    /// <summary>NMC811 particle radius, m, maximum Li concentration, mol/m3, diffusivity at 25 C, m2/s: Chen et al. 2020.</summary>
    public double ParticleRadiusM { get; init; } = 5.22e-6;
    public double MaxConcentrationMolPerM3 { get; init; } = 63104;
    public double Diffusivity25M2PerS { get; init; } = 4e-15;
    /// <summary>Activation energy of the solid diffusivity, J/mol (engineering estimate: 20-40 kJ/mol is reported for layered oxides).</summary>
    public double DiffusivityActivationJPerMol { get; init; } = 30000;
    /// <summary>
    /// Cathode|electrolyte exchange current density at x = 0.5 and 25 C, A/m2 of particle surface: Chen et al. 2020's
    /// rate constant (3.42e-6 (A/m2)(m3/mol)^1.5 at 1000 mol/m3, 3.4 A/m2) halved for the share of the particle
    /// surface a cold-pressed solid electrolyte actually touches (engineering estimate).
    /// </summary>
    public double CathodeExchangeCurrentAPerM2 { get; init; } = 1.7;
    /// <summary>Activation energy of the cathode interface, J/mol (solid/solid interfaces are more activated than liquid: about 0.4 eV).</summary>
    public double CathodeKineticsActivationJPerMol { get; init; } = 40000;
    /// <summary>Li | Li6PS5Cl exchange current density at 25 C and full contact, A/m2 (3.2 mA/cm2, 8 Ohm.cm2; engineering estimate).</summary>
    public double AnodeExchangeCurrentAPerM2 { get; init; } = 32;
    public double AnodeKineticsActivationJPerMol { get; init; } = 34000;
    /// <summary>Li6PS5Cl ionic conductivity at 25 C, S/m (1.2 mS/cm, inside the 1-3 mS/cm reported for cold-pressed argyrodite), and its activation energy, J/mol (0.33 eV).</summary>
    public double ElectrolyteConductivitySPerM { get; init; } = 0.12;
    public double ElectrolyteActivationJPerMol { get; init; } = 32000;
    /// <summary>Separator thickness, m.</summary>
    public double SeparatorThicknessM { get; init; } = 30e-6;
    /// <summary>Tabs and current collectors, Ohm (temperature independent).</summary>
    public double TabOhm { get; init; } = 0.0015;
    /// <summary>Interface contact resistance at the reference pressure, Ohm (2 Ohm.cm2 over 1000 cm2), growing as pressure^-0.5.</summary>
    public double ContactOhmAtReference { get; init; } = 0.002;
    public double ReferenceKpa { get; init; } = 1000;
    /// <summary>Below this the Li|electrolyte contact area falls in proportion to pressure as well (voids on stripping).</summary>
    public double ContactLossKpa { get; init; } = 300;
    /// <summary>Relaxed OCV that defines SOC 1 (the top of the window after a 4.25 V CV charge), V.</summary>
    public double FullOcvVolts { get; init; } = 4.20;
    /// <summary>Stoichiometry that defines SOC 0: where a C/20 discharge at 25 C reaches 3.0 V (the lab's definition).</summary>
    public double EmptyStoichiometry { get; init; } = 0.95;
    /// <summary>Finite-volume shells in the particle radius.</summary>
    public int Shells { get; init; } = 10;

    public double FullStoichiometry => Nmc811Ocp.StoichiometryAt(FullOcvVolts);

    /// <summary>Charge between SOC 0 and SOC 1, Ah.</summary>
    public double CapacityAh =>
        ActiveFraction * CathodeThicknessM * AreaM2 * MaxConcentrationMolPerM3 * Faraday * (EmptyStoichiometry - FullStoichiometry) / 3600.0;

    /// <summary>Particle surface in contact with the electrolyte, m2 (3 eps / r per volume).</summary>
    public double InterfaceAreaM2 => 3.0 * ActiveFraction / ParticleRadiusM * CathodeThicknessM * AreaM2;

    /// <summary>Rate at a temperature relative to 25 C (below 1 in the cold).</summary>
    public static double Arrhenius(double activationJPerMol, double temperatureC) =>
        Math.Exp(activationJPerMol / GasConstant * (1.0 / ReferenceKelvin - 1.0 / (temperatureC + 273.15)));

    /// <summary>Ohmic resistance at a temperature and pressure, Ohm: tabs, separator, the composite's ionic path (1/3 of it for a uniform reaction, Bruggeman tortuosity), contact.</summary>
    public double OhmicOhm(double temperatureC, double stackPressureKpa)
    {
        double sigma = ElectrolyteConductivitySPerM * Arrhenius(ElectrolyteActivationJPerMol, temperatureC);
        double ionic = (SeparatorThicknessM / sigma + CathodeThicknessM / (3.0 * sigma * Math.Pow(CatholyteFraction, 1.5))) / AreaM2;
        return TabOhm + ionic + ContactOhmAtReference * Math.Sqrt(ReferenceKpa / Math.Max(stackPressureKpa, 10.0));
    }

    /// <summary>Share of the Li foil in contact at a stack pressure (pressure^0.5, and proportional below the contact-loss pressure).</summary>
    public double AnodeContactFraction(double stackPressureKpa)
    {
        double p = Math.Max(stackPressureKpa, 10.0);
        double f = Math.Sqrt(p / ReferenceKpa);
        if (p < ContactLossKpa) f *= p / ContactLossKpa;
        return Math.Min(f, 1.5);
    }
}
