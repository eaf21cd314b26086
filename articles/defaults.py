"""The cost-index catalogue a fresh install starts with (loaded by a data migration).

Editable afterwards in the admin; `keywords` steer the offline analyser.
"""

# (code, name, unit, description, keywords)
DEFAULT_COST_INDICES = [
    ("steel", "Steel", "EUR/t", "Carbon and stainless steel: sheet, bar, tube, castings.",
     "steel,stainless,iron,cast iron,sheet metal,inox,galvanised,galvanized"),
    ("aluminium", "Aluminium", "EUR/t", "Aluminium alloys: extrusions, sheet, die castings.",
     "aluminium,aluminum,alu,anodised,anodized,die-cast,die cast"),
    ("copper", "Copper", "EUR/t", "Copper and brass: wiring, windings, fittings.",
     "copper,brass,bronze,winding,cable,wire"),
    ("plastics", "Plastics", "EUR/t", "Thermoplastics and resins: housings, mouldings, films.",
     "plastic,abs,polycarbonate,polypropylene,polyamide,nylon,pvc,pe,pp,pet,resin,moulded,molded,injection"),
    ("rubber", "Rubber", "EUR/t", "Elastomers: seals, gaskets, tyres.",
     "rubber,silicone,epdm,elastomer,gasket,seal"),
    ("glass", "Glass", "EUR/t", "Glass and ceramics: panels, lenses, insulators.",
     "glass,ceramic,lens,porcelain"),
    ("wood", "Wood and paper", "EUR/t", "Timber, board, paper and cardboard.",
     "wood,timber,plywood,mdf,cardboard,paper,carton"),
    ("electronics", "Electronics", "index", "Semiconductors, PCBs and electronic components.",
     "pcb,electronic,electronics,microcontroller,sensor,chip,led,display,battery,circuit"),
    ("labour", "Labour", "EUR/h", "Manufacturing and assembly labour.",
     "assembly,assembled,welding,welded,machining,machined,hand,manual,labour,labor"),
    ("energy", "Energy", "EUR/MWh", "Electricity and gas used in production.",
     "energy,electricity,furnace,heat treatment,forging,forged,casting,cast"),
    ("transport", "Transport", "EUR/t-km", "Freight and logistics to the customer.",
     "transport,shipping,freight,logistics,pallet,packaging"),
]
