namespace SolidBms.Core.Config
{
    /// <summary>Which converter a board reads a quantity with (the 'source' key of [cells], [thermistors], [current], [pressure]).</summary>
    public enum SensorSource
    {
        /// <summary>ESP32 ADC1 channel(s), as the [adc] section describes.</summary>
        Adc = 0,
        /// <summary>TI BQ76952 cell monitor on I2C: cell voltages, thermistor pins, CC2 current.</summary>
        Bq76952 = 1,
        /// <summary>TI INA228 shunt monitor on I2C: pack current and its charge accumulator.</summary>
        Ina228 = 2,
        /// <summary>Nuvoton NAU7802 24-bit bridge ADC on I2C: one load cell.</summary>
        Nau7802 = 3,
        /// <summary>Honeywell FMA-series digital force sensor on I2C (small cells: up to 25 N).</summary>
        Fma = 4,
    }
}
