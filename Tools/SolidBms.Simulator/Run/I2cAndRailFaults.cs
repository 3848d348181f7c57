using System;
using SolidBms.Simulator.Hardware;
using SolidBms.Simulator.Scenarios;

namespace SolidBms.Simulator.Run;

/// <summary>Applies the scenario's chip and ADC-rail faults (i2c-nack, i2c-stuck, i2c-crc, i2c-dropout, adc-rail) to the rig.</summary>
public static class I2cAndRailFaults
{
    /// <summary>Switches the fault on and returns what switches it off again.</summary>
    public static Action Apply(SimAnalogRig rig, ScenarioEvent e, Func<ScenarioEvent, int> channelOf)
    {
        if (e.Kind == "adc-rail")
        {
            var ch = rig.Channels[channelOf(e)];
            ch.ForcedCounts = e.Rail == "high" ? ch.MaxCounts : 0;
            return () => ch.ForcedCounts = null;
        }
        var chip = rig.I2c.Find(e.Device);
        switch (e.Kind)
        {
            case "i2c-nack":
                chip.NackProbability = e.Probability;
                return () => chip.NackProbability = 0;
            case "i2c-stuck":
                chip.Stuck = true;
                return () => chip.Stuck = false;
            case "i2c-crc":
                chip.CorruptReads = true;
                return () => chip.CorruptReads = false;
            default:
                chip.Dropout = true;
                return () => chip.Dropout = false;
        }
    }

    /// <summary>Refuses an event the board cannot carry: a chip it does not have, a CRC on a chip without one, a rail on an I2C quantity.</summary>
    public static void Validate(SimAnalogRig rig, ScenarioEvent e, string path)
    {
        if (e.Kind.StartsWith("i2c-"))
        {
            var chip = rig.I2c?.Find(e.Device);
            if (chip == null) throw new ScenarioException(path + ".device", $"this board has no {e.Device} on I2C");
            if (e.Kind == "i2c-crc" && !chip.HasCrc)
                throw new ScenarioException(path + ".device", $"{e.Device} sends no CRC on this board, so a corrupted byte cannot be detected; use i2c-nack or i2c-stuck");
            return;
        }
        if (e.Kind != "sensor-dropout" && e.Kind != "adc-rail") return;
        var b = rig.Board;
        bool onAdc = e.Sensor switch
        {
            "cell-voltage" => b.CellSource == Core.Config.SensorSource.Adc,
            "temperature" => b.ThermistorSource == Core.Config.SensorSource.Adc,
            "current" => b.CurrentSource == Core.Config.SensorSource.Adc,
            _ => b.PressureSource == Core.Config.SensorSource.Adc,
        };
        if (!onAdc) throw new ScenarioException(path + ".sensor", $"{e.Sensor} is read over I2C on board '{b.Name}'; use an i2c-* event");
    }
}
