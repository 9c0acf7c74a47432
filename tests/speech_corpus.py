"""Source -> spoken pairs: what the voice is given, written from textbooks' conventions.

Run on the streaming chunker and on the narrated lecture by tests/test_spoken_words.py.
"""

PAIRS: list[tuple[str, str]] = [
    (
        "The mean is $\\bar{x} = \\frac{1}{n}\\sum_{i=1}^{n} x_i$.",
        "The mean is x bar equals 1 over n, times the sum from i equals 1 to n of x sub i.",
    ),
    (
        "The variance is \\( s^2 = \\frac{1}{n-1}\\sum_{i=1}^{n} (x_i - \\bar{x})^2 \\).",
        "The variance is s squared equals the fraction with numerator 1 and denominator n minus 1, times the sum from i equals 1 to n of the quantity x sub i minus x bar, squared.",
    ),
    (
        "We have $$\\int_{0}^{1} x^2\\,dx = \\frac{1}{3}$$ here.",
        "We have the integral from 0 to 1 of x squared d x equals 1 over 3 here.",
    ),
    (
        "The bound is $\\lfloor \\log_2 n \\rfloor + 1$.",
        "The bound is the floor of log base 2 of n plus 1.",
    ),
    (
        "Bayes gives $P(A \\mid B) = \\frac{P(B \\mid A) P(A)}{P(B)}$.",
        "Bayes gives P of A given B equals the fraction with numerator P of B given A P of A and denominator P of B.",
    ),
    ("The prior is $P(A)$.", "The prior is P of A."),
    ("Energy is $E = mc^2$.", "Energy is E equals m c squared."),
    ("Euler wrote $e^{i\\pi} + 1 = 0$.", "Euler wrote e to the i pi plus 1 equals 0."),
    ("There are $10^6$ cells.", "There are 10 to the sixth cells."),
    (
        "The length is $\\sqrt{x^2 + y^2}$.",
        "The length is the square root of x squared plus y squared.",
    ),
    ("The cube root $\\sqrt[3]{8} = 2$.", "The cube root the cube root of 8 equals 2."),
    ("Vectors live in $\\mathbb{R}^n$.", "Vectors live in the real numbers to the n."),
    ("The estimate $\\hat{\\beta}$ is unbiased.", "The estimate beta hat is unbiased."),
    (
        "The dot product $\\vec{v} \\cdot \\vec{w}$ is a number.",
        "The dot product vector v times vector w is a number.",
    ),
    (
        "The limit $\\lim_{x \\to 0} \\frac{\\sin x}{x} = 1$ is famous.",
        "The limit the limit as x goes to 0 of sine of x over x equals 1 is famous.",
    ),
    (
        "The matrix $\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}$ is square.",
        "The matrix a 2 by 2 matrix is square.",
    ),
    ("The eigen equation is $A v = \\lambda v$.", "The eigen equation is A v equals lambda v."),
    ("Solve $\\det(A - \\lambda I) = 0$.", "Solve the determinant of A minus lambda I equals 0."),
    ("Diagonalise: $A = P D P^{-1}$.", "Diagonalise: A equals P D P inverse."),
    (
        "Amdahl: $S(N) = \\frac{1}{(1 - p) + \\frac{p}{N}}$.",
        "Amdahl: S of N equals the fraction with numerator 1 and denominator the quantity 1 minus p, plus p over N.",
    ),
    ("The cost is $O(\\log n)$.", "The cost is big O of log of n."),
    (
        "The interval is $\\bar{x} \\pm 1.96 \\frac{s}{\\sqrt{n}}$.",
        "The interval is x bar plus or minus 1.96 s over the square root of n.",
    ),
    ("Here $x \\in \\mathbb{R}$.", "Here x is in the real numbers."),
    (
        "The spread $|x - \\mu| < 2\\sigma$ holds.",
        "The spread the absolute value of x minus mu is less than 2 sigma holds.",
    ),
    ("There are $\\binom{n}{k}$ ways.", "There are n choose k ways."),
    ("The derivative is $f'(x) = 2x$.", "The derivative is f prime of x equals 2 x."),
    ("We write $n!$ for the factorial.", "We write n factorial for the factorial."),
    (
        "The gamma function gives $\\Gamma(n) = (n-1)!$.",
        "The gamma function gives capital gamma of n equals the quantity n minus 1, factorial.",
    ),
    (
        "For all $\\epsilon > 0$ there is a bound.",
        "For all epsilon is greater than 0 there is a bound.",
    ),
    ("Here $a \\neq b$.", "Here a is not equal to b."),
    (
        "The partial is $\\frac{\\partial f}{\\partial x}$.",
        "The partial is partial f over partial x.",
    ),
    ("The entry is $x_{i,j}$.", "The entry is x sub i, j."),
    (
        "The series is $\\sum_{k=0}^\\infty \\frac{x^k}{k!}$.",
        "The series is the sum from k equals 0 to infinity of x to the k over k factorial.",
    ),
    ("A half is $\\frac12$.", "A half is one half."),
    ("The inverse is $x^{-1}$.", "The inverse is x to the minus 1."),
    (
        "The midpoint is $\\frac{a+b}{2}$.",
        "The midpoint is the fraction with numerator a plus b and denominator 2.",
    ),
    ("Little's law: $n = \\lambda \\times W$.", "Little's law: n equals lambda times W."),
    ("The set $A \\cup B$ is the union.", "The set A union B is the union."),
    ("The set $A \\cap B$ is the intersection.", "The set A intersection B is the intersection."),
    ("The implication is $p \\Rightarrow q$.", "The implication is p implies q."),
    ("Temperature $T \\approx 300$ kelvin.", "Temperature T is approximately 300 kelvin."),
    ("Spacing $a \\qquad b$ is silent.", "Spacing a b is silent."),
    ("The \\alpha level is 0.05.", "The alpha level is 0.05."),
    ("Use \\(\\theta\\) for the angle.", "Use theta for the angle."),
    ("Display: \\[ y = mx + b \\]", "Display: y equals m x plus b"),
    ("The transpose $A^T$ flips it.", "The transpose A transposed flips it."),
    ("The norm $\\|v\\|$ is its length.", "The norm the norm of v is its length."),
    ("The value $\\frac{3}{4}$ is three quarters.", "The value 3 over 4 is three quarters."),
    ("The rule is $x^{n}$ for n.", "The rule is x to the n for n."),
    (
        "The integral $\\int f(x)\\,dx$ is indefinite.",
        "The integral the integral of f of x d x is indefinite.",
    ),
    (
        "The product $\\prod_{i=1}^{n} a_i$ multiplies.",
        "The product the product from i equals 1 to n of a sub i multiplies.",
    ),
    ("Let $\\sigma^2$ be the variance.", "Let sigma squared be the variance."),
    (
        "Rate = k[R–X][Nu⁻].",
        "Rate equals k times the concentration of R X times the concentration of N u minus.",
    ),
    ("Rate = k[R–X].", "Rate equals k times the concentration of R X."),
    (
        "I⁻ > Br⁻ > Cl⁻ >> F⁻.",
        "I minus, greater than B r minus, greater than C l minus, much greater than F minus.",
    ),
    ("R–X + Nu⁻ → R–Nu + X⁻.", "R X plus N u minus gives R Nu plus X minus."),
    (
        "Carbocation stability: 3° > 2° > 1°.",
        "Carbocation stability: tertiary, greater than secondary, greater than primary.",
    ),
    ("The angles are 3° and 90°.", "The angles are 3 degrees and 90 degrees."),
    ("Water is H₂O.", "Water is H 2 O."),
    ("Carbon dioxide is CO₂.", "Carbon dioxide is C O 2."),
    ("Calcium forms Ca²⁺ ions.", "Calcium forms C a 2 plus ions."),
    (
        "6 CO2 + 6 H2O + light -> C6H12O6 + 6 O2.",
        "6 C O 2 plus 6 H 2 O plus light gives C 6 H 12 O 6 plus 6 O 2.",
    ),
    ("The C–F bond is strong.", "The C F bond is strong."),
    ("N2 + 3 H2 ⇌ 2 NH3.", "N 2 plus 3 H 2 is in equilibrium with 2 N H 3."),
    ("The sulfate ion SO₄²⁻ is common.", "The sulfate ion S O 4 2 minus is common."),
    ("Glucose is C6H12O6.", "Glucose is C 6 H 12 O 6."),
    ("Oxygen gas is O2.", "Oxygen gas is O 2."),
    ("SN2 is fastest for methyl substrates.", "S N 2 is fastest for methyl substrates."),
    ("ATP and NADPH are carriers.", "A T P and N A D P H are carriers."),
    ("The pH is 7.", "The pH is 7."),
    ("NaCl dissolves in water.", "NaCl dissolves in water."),
    ("DMSO is a polar aprotic solvent.", "D M S O is a polar aprotic solvent."),
    ("The area is 5 cm².", "The area is 5 square centimetres."),
    ("The volume is 3 m³.", "The volume is 3 cubic metres."),
    ("A speed of 9.8 m/s² is gravity.", "A speed of 9.8 metres per second squared is gravity."),
    ("It runs at 120 km/h.", "It runs at 120 kilometres per hour."),
    ("The film is 200 nm thick.", "The film is 200 nanometres thick."),
    ("It weighs 2.5 kg.", "It weighs 2.5 kilograms."),
    ("The beam is 10 mm wide.", "The beam is 10 millimetres wide."),
    ("A burst of 24 ms.", "A burst of 24 milliseconds."),
    ("The quantum is 10 to 100 ms.", "The quantum is 10 to 100 milliseconds."),
    ("It lasts 5 s.", "It lasts 5 seconds."),
    ("The dose is 50 mg.", "The dose is 50 milligrams."),
    ("The flow is 2 L per minute.", "The flow is 2 litres per minute."),
    ("The current is 3 A.", "The current is 3 amperes."),
    ("The pressure is 101 kPa.", "The pressure is 101 kilopascals."),
    ("The clock is 3 GHz.", "The clock is 3 gigahertz."),
    ("Enzymes work at 25-35 °C.", "Enzymes work at 25 to 35 degrees Celsius."),
    ("Water boils at 100 °C.", "Water boils at 100 degrees Celsius."),
    ("Body heat is 98.6 °F.", "Body heat is 98.6 degrees Fahrenheit."),
    ("About 95% of intervals.", "About 95 percent of intervals."),
    ("Only 0.5% agreed.", "Only 0.5 percent agreed."),
    ("She has $100.00 in her bag.", "She has 100 dollars in her bag."),
    ("It costs €20 today.", "It costs 20 euros today."),
    ("Tickets are £5 each.", "Tickets are 5 pounds each."),
    ("The constant is 6.02 × 10^23.", "The constant is 6.02 times 10 to the twenty-third."),
    ("The time is 1.2e-3 seconds.", "The time is 1.2 times 10 to the minus third seconds."),
    ("A ratio of 3/4 is common.", "A ratio of 3 over 4 is common."),
    ("The range is 2–10 cm.", "The range is 2 to 10 centimetres."),
    ("Pages 142-158 are set.", "Pages 142 to 158 are set."),
    ("Read pp. 142-158 first.", "Read pages 142 to 158 first."),
    ("See p. 55 for this.", "See page 55 for this."),
    ("See Fig. 3 for the graph.", "See figure 3 for the graph."),
    ("Use Eq. 2 here.", "Use equation 2 here."),
    ("Read No. 5 first.", "Read number 5 first."),
    ("Plants, e.g. maize, grow fast.", "Plants, for example maize, grow fast."),
    ("The root, i.e. the base, matters.", "The root, that is the base, matters."),
    ("Cats vs. dogs is old.", "Cats versus dogs is old."),
    ("Apples, pears, etc. are fruit.", "Apples, pears, et cetera are fruit."),
    ("It is approx. ten metres.", "It is approximately ten metres."),
    ("Read ch. 8 tonight.", "Read chapter 8 tonight."),
    ("In 1853 the ships arrived.", "In eighteen fifty-three the ships arrived."),
    (
        "From 1603 to 1868 Japan was closed.",
        "From sixteen oh three to eighteen sixty-eight Japan was closed.",
    ),
    (
        "The period (1603-1868) was long.",
        "The period (sixteen oh three to eighteen sixty-eight) was long.",
    ),
    ("The 1960s brought change.", "The nineteen sixties brought change."),
    ("In May 1789 the estates met.", "In May seventeen eighty-nine the estates met."),
    ("On 14 July 1789 a crowd stormed it.", "On 14 July seventeen eighty-nine a crowd stormed it."),
    (
        "Linux used CFS from 2007 to 2023.",
        "Linux used C F S from two thousand seven to twenty twenty-three.",
    ),
    ("The war ended in 1945.", "The war ended in nineteen forty-five."),
    ("In 2001 the book came out.", "In two thousand one the book came out."),
    (
        "The IBM 7094 was shut down in 1973.",
        "The I B M 7094 was shut down in nineteen seventy-three.",
    ),
    ("There were 1500 soldiers.", "There were 1500 soldiers."),
    ("It holds 2048 bytes.", "It holds 2048 bytes."),
    ("The treaty of 1648 ended it.", "The treaty of sixteen forty-eight ended it."),
    (
        "Use `mid = (lo + hi) // 2` here.",
        "Use mid is set to the quantity lo plus hi, floor divided by 2 here.",
    ),
    ("Call `statistics.stdev(data)` to get it.", "Call statistics dot stdev of data to get it."),
    (
        "The function `binary_search` returns an index.",
        "The function binary search returns an index.",
    ),
    ("Use `getElementById` in the browser.", "Use get element by id in the browser."),
    ("The call `next()` advances it.", "The call next advances it."),
    ("Write `x += 1` to count.", "Write x plus equals 1 to count."),
    ("Use `len(items) - 1` as the end.", "Use len of items minus 1 as the end."),
    ("The flag `--no-stream` waits.", "The flag dash dash no stream waits."),
    ("Read `config.yaml` first.", "Read config dot yaml first."),
    (
        "The loop `for x in range(10)` runs ten times.",
        "The loop for x in range of 10 runs ten times.",
    ),
    ("The variable `my_var` holds it.", "The variable my var holds it."),
    ("The result `a == b` is a boolean.", "The result a equals b is a boolean."),
    (
        "Use `sum(x * x for x in range(10))` for squares.",
        "Use sum of x times x for x in range of 10 for squares.",
    ),
    ("The symbol σ is the spread.", "The symbol sigma is the spread."),
    ("The Σ means a sum.", "The capital sigma means a sum."),
    ("The change ΔH is negative.", "The change delta H is negative."),
    ("The wavelength λ is short.", "The wavelength lambda is short."),
    ("Use μ for the mean.", "Use mu for the mean."),
    ("The angle θ grows.", "The angle theta grows."),
    ("It is x ≤ 5.", "It is x less than or equal to 5."),
    ("It is y ≥ 3.", "It is y greater than or equal to 3."),
    ("It is a ≠ b.", "It is a not equal to b."),
    ("The value is ± 2.", "The value is plus or minus 2."),
    ("It is 2 × 3.", "It is 2 times 3."),
    ("It is 6 ÷ 2.", "It is 6 divided by 2."),
    ("It tends to ∞.", "It tends to infinity."),
    ("The FCFS and SJF policies differ.", "The F C F S and S J F policies differ."),
    ("The CPU runs it.", "The C P U runs it."),
    ("The PCB stores state.", "The P C B stores state."),
    ("The TLB is a cache.", "The T L B is a cache."),
    ("Dr. Smith teaches at 9 a.m.", "Dr. Smith teaches at 9 a.m."),
    ("The U.S. team agreed.", "The U.S. team agreed."),
    ("Salt & pepper.", "Salt and pepper."),
]

# Physics, chemistry and computing as a teacher says them (issue 38): units by their names
# (an adjective before a noun), formulas in prose with the LaTeX reader's rules, chemistry
# letter by letter, code as an expression or named by what it does. Run, with PAIRS, on
# the chunker and Piper's phonemiser, and on their own through the narrated lecture, an
# answer and `say`.
SCIENCE: list[tuple[str, str]] = [
    (
        "This can be written as P = I²R or P = V²/R.",
        "This can be written as P equals I squared R or P equals V squared over R.",
    ),
    (
        "In parallel, 1/R = 1/R₁ + 1/R₂ holds.",
        "In parallel, 1 over R equals 1 over R 1 plus 1 over R 2 holds.",
    ),
    ("Take a 4 Ω resistor; two give 3 Ω.", "Take a 4 ohm resistor; two give 3 ohms."),
    (
        "A 60 W bulb on a 230 V supply draws about 0.26 A.",
        "A 60 watt bulb on a 230 volt supply draws about 0.26 amperes.",
    ),
    (
        "A 12 V battery across the resistor drives 3 A.",
        "A 12 volt battery across the resistor drives 3 amperes.",
    ),
    (
        "Resistance is measured in ohms (Ω) and current in amperes (A).",
        "Resistance is measured in ohms and current in amperes.",
    ),
    ("A 10 kΩ resistor carries 2 mA.", "A 10 kilohm resistor carries 2 milliamperes."),
    ("The mains run at 50 Hz and 1 Ω.", "The mains run at 50 hertz and 1 ohm."),
    (
        "A 1.5 V cell stores 9 kJ and lifts 5 N.",
        "A 1.5 volt cell stores 9 kilojoules and lifts 5 newtons.",
    ),
    ("The photon has 2.1 eV of energy.", "The photon has 2.1 electronvolts of energy."),
    (
        "Its terminal voltage is V = ε − Ir, which falls.",
        "Its terminal voltage is V equals epsilon minus I r, which falls.",
    ),
    (
        "The membrane sits at −70 mV at rest.",
        "The membrane sits at minus 70 millivolts at rest.",
    ),
    ("Energy is E = mc² for any mass.", "Energy is E equals m c squared for any mass."),
    ("Motion follows v = u + at here.", "Motion follows v equals u plus a t here."),
    ("Ohm's law links them: V = IR.", "Ohm's law links them: V equals I R."),
    (
        "\\[ P(A) = \\sum_i P(A \\mid B_i)\\,P(B_i). \\]",
        "P of A equals the sum over i of P of A given B sub i P of B sub i.",
    ),
    (
        "Lookup takes O(1) time on average and O(n) at worst.",
        "Lookup takes big O of 1 time on average and big O of n at worst.",
    ),
    (
        "It is written P(A|B) and needs P(B) above zero.",
        "It is written P of A given B and needs P of B above zero.",
    ),
    (
        "Succinate is oxidised to fumarate, making FADH₂.",
        "Succinate is oxidised to fumarate, making F A D H 2.",
    ),
    ("Each turn makes NADH and one GTP/ATP.", "Each turn makes N A D H and one G T P or A T P."),
    ("The chain must regenerate NAD⁺ and FAD.", "The chain must regenerate N A D plus and F A D."),
    ("Sulfuric acid is H₂SO₄.", "Sulfuric acid is H 2 S O 4."),
    ("Slaked lime is Ca(OH)₂.", "Slaked lime is C a O H 2."),
    ("α-Ketoglutarate is oxidised.", "alpha-Ketoglutarate is oxidised."),
    ("The TCP/IP stack is layered.", "The T C P I P stack is layered."),
    (
        "Find the slot with `bucket = self.slots[hash(key) % len(self.slots)]` first.",
        "Find the slot with bucket is set to slots at hash of key modulo len of slots first.",
    ),
    (
        "It runs `self.table[i].append((key, value)) if found else self.grow(key, value, 2)` then.",
        "It runs a line of code, shown on screen then.",
    ),
    (
        "Then `results.append(compute(key, value, factor=2, rehash=True, verbose=False))` runs.",
        "Then a call to results dot append, shown on screen runs.",
    ),
    (
        "The sample space Ω holds every outcome.",
        "The sample space capital omega holds every outcome.",
    ),
]
PAIRS += SCIENCE

# A table in a lecture: its rows, each said with the header's names.
TABLES: list[tuple[str, list[str]]] = [
    (
        "| Boundary | Motion | Example |\n|---|---|---|\n| Divergent | plates move apart | the Mid-Atlantic Ridge |\n| Transform | plates slide past | the San Andreas Fault |",
        [
            "Divergent: motion, plates move apart; for example, the Mid-Atlantic Ridge.",
            "Transform: motion, plates slide past; for example, the San Andreas Fault.",
        ],
    ),
    (
        "| Year | Event |\n|---|---|\n| 1792 | France declared a republic |\n| 1793–1794 | the Reign of Terror |",
        [
            "seventeen ninety-two: event, France declared a republic.",
            "seventeen ninety-three to seventeen ninety-four: event, the Reign of Terror.",
        ],
    ),
    (
        "| Ion | Charge |\n|---|---|\n| Ca²⁺ | +2 |\n| Cl⁻ | -1 |",
        ["C a 2 plus: charge, +2.", "C l minus: charge, -1."],
    ),
    (
        "| Symbol | Meaning |\n|---|---|\n| σ | standard deviation |\n| $\\bar{x}$ | sample mean |",
        ["sigma: meaning, standard deviation.", "x bar: meaning, sample mean."],
    ),
]
